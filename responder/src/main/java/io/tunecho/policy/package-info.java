/**
 * The hosts' policy on the packet path: which host answers a destination and what it does now
 * ({@link io.tunecho.policy.HostLookup}: limits, virtual routers, loss, states), and how its replies leave
 * ({@link io.tunecho.policy.ReplyShaper}: delay, jitter, duplicates, corruption). May use everything below it:
 * {@code wire}, {@code hosts}, {@code packet}, {@code ip}, {@code proto}.
 */
package io.tunecho.policy;
