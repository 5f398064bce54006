/**
 * The IP layer: which version a packet is, whether its header is valid, fragments reassembled into datagrams and
 * replies fragmented to the MTU, and the rate of the ICMP errors it may send. It asks whether a host answers a
 * destination through {@link io.tunecho.ip.HostsBehind}, never through the host table. May use {@code wire},
 * {@code packet} and the host model's clock and address states.
 */
package io.tunecho.ip;
