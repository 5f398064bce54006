package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/**
 * Where things are in an IPv6 packet's chain of extension headers (RFC 8200 4), for code that inserts or removes a
 * header: which Next Header field names a given header, and where the unfragmentable part ends. Both walk a packet
 * that {@link Ipv6Packet#check()} accepted, so every header they step over fits the packet.
 */
public final class Ipv6ExtensionHeaders {
    private Ipv6ExtensionHeaders() {
    }

    /**
     * The index of the Next Header field that names the header starting at {@code header}: the fixed header's own
     * field, or that of the extension header just before.
     *
     * @throws IllegalArgumentException if no header of the chain starts there
     */
    public static int nextHeaderFieldOf(Ipv6Packet ip, int header) {
        ByteBuf buf = ip.buffer();
        int field = ip.offset() + Ipv6Packet.Field.NEXT_HEADER;
        int p = ip.offset() + Ipv6Packet.HEADER_LENGTH;
        while (p < header) {
            int type = buf.getUnsignedByte(field);
            if (!isExtension(type)) {
                break;
            }
            field = p;
            p += length(buf, p, type);
        }
        if (p != header) {
            throw new IllegalArgumentException("no header of the chain starts at " + (header - ip.offset()));
        }
        return field;
    }

    /**
     * The length of the unfragmentable part (RFC 8200 4.5): the fixed header and the extension headers that nodes
     * on the way process, that is up to and including the Routing header if there is one, else the Hop-by-Hop
     * Options header if there is one, else none. A Destination Options header before a Routing header belongs to
     * it.
     *
     * @return the length in bytes from the fixed header's start, or -1 if the packet already has a fragment header
     */
    public static int unfragmentableLength(Ipv6Packet ip) {
        ByteBuf buf = ip.buffer();
        int start = ip.offset();
        int p = start + Ipv6Packet.HEADER_LENGTH;
        int end = p;
        int limit = start + Ipv6Packet.HEADER_LENGTH + ip.payloadLength();
        int next = ip.nextHeader();
        while (isExtension(next) && p < limit) {
            if (next == Ipv6Packet.FRAGMENT) {
                return -1;
            }
            int length = length(buf, p, next);
            if (next == Ipv6Packet.HOP_BY_HOP || next == Ipv6Packet.ROUTING) {
                end = p + length;
            }
            next = buf.getUnsignedByte(p);
            p += length;
        }
        return end - start;
    }

    private static boolean isExtension(int type) {
        return type == Ipv6Packet.HOP_BY_HOP || type == Ipv6Packet.ROUTING || type == Ipv6Packet.DESTINATION_OPTIONS
                || type == Ipv6Packet.FRAGMENT;
    }

    private static int length(ByteBuf buf, int p, int type) {
        return type == Ipv6Packet.FRAGMENT ? Ipv6Packet.FRAGMENT_HEADER_LENGTH : (buf.getUnsignedByte(p + 1) + 1) * 8;
    }
}
