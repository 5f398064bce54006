/**
 * The protocols a host answers: ICMP and ICMPv6 echo, UDP (port unreachable), TCP (SYN-ACK with SYN cookies, or
 * RST), behind one {@link io.tunecho.proto.ProtocolDispatcher}. Each answers in the request's buffer where it can.
 * May use {@code wire}, {@code packet}, {@code ip} and the host model.
 */
package io.tunecho.proto;
