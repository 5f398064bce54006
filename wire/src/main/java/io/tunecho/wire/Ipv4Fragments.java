package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/**
 * Cutting an IPv4 datagram into fragments (RFC 791 3.2, "Fragmentation and reassembly"): how much data a fragment
 * carries, and the header of a fragment after the first, in which only the options whose copied flag is set
 * survive. As Linux does ({@code ip_options_fragment}), the other options are overwritten with No Operation bytes,
 * so that every fragment's header has the same length.
 */
public final class Ipv4Fragments {
    /** The copied flag of an option type: the option goes into every fragment. */
    public static final int COPIED = 0x80;

    private Ipv4Fragments() {
    }

    /**
     * The data each fragment but the last carries for an MTU and a header length: what fits, rounded down to a
     * multiple of 8 (the unit of the fragment offset).
     */
    public static int dataPerFragment(int mtu, int headerLength) {
        return (mtu - headerLength) & ~7;
    }

    /**
     * Writes the header of a fragment after the first into {@code dst} at its writer index: the first fragment's
     * header at {@code src} (a validated header) with the options that are not copied replaced by No Operation.
     * Length, flags, offset and checksum are the caller's to set.
     */
    public static void writeLaterHeader(ByteBuf src, int srcOff, ByteBuf dst) {
        int headerLength = (src.getUnsignedByte(srcOff) & 0xF) << 2;
        int start = dst.writerIndex();
        dst.writeBytes(src, srcOff, headerLength);
        int p = start + Ipv4Packet.MIN_HEADER_LENGTH;
        int end = start + headerLength;
        while (p < end) {
            int type = dst.getUnsignedByte(p);
            if (type == Ipv4Options.END) {
                return;
            }
            if (type == Ipv4Options.NOP) {
                p++;
                continue;
            }
            int length = p + 1 < end ? dst.getUnsignedByte(p + 1) : 0;
            if (length < 2 || p + length > end) {
                length = end - p; // a validated header has none of these; blank what is left rather than guess
            }
            if ((type & COPIED) == 0) {
                for (int i = p; i < p + length; i++) {
                    dst.setByte(i, Ipv4Options.NOP);
                }
            }
            p += length;
        }
    }
}
