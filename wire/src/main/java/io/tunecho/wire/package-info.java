/**
 * Wire formats: IPv4, IPv6, ICMP, UDP and TCP headers as small views over a {@code ByteBuf}
 * ({@link io.tunecho.wire.Ipv4Packet}, {@link io.tunecho.wire.Ipv6Packet}, {@link io.tunecho.wire.IcmpMessage},
 * {@link io.tunecho.wire.UdpDatagram}, {@link io.tunecho.wire.TcpSegment}), each with the validation of its format;
 * IPv4 options; the Internet checksum; addresses and CIDRs of both families. A view is reused from packet to packet,
 * and an upper-layer view can only be placed over the payload of the IP view that carries it. Nothing here
 * allocates per packet or depends on any other tunecho package.
 */
package io.tunecho.wire;
