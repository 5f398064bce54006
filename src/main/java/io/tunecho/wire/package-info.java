/**
 * Wire formats: IPv4, ICMPv4 and IPv6 headers as small static views over a {@code ByteBuf} at an index, and the
 * Internet checksum. Nothing here allocates per packet or depends on any other tunecho package.
 */
package io.tunecho.wire;
