/**
 * The host model: which addresses are answered, and by what. {@link io.tunecho.hosts.PrefixTable} is the
 * longest-prefix-match structure (IPv4 and IPv6); {@link io.tunecho.hosts.HostTable} holds the entries built from
 * the configuration, each with its settings, behaviour now (timelines, states) and counters. Data and its rules,
 * no handlers: depends on {@code wire} only, and the pipeline's layers read it.
 */
package io.tunecho.hosts;
