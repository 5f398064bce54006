package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/**
 * The IPv4 options of an echo reply, as Linux builds them ({@code ip_options_echo}) and as the routers of a path
 * fill them in: Record Route and Timestamp are carried back (in that order; other options are not), and every node
 * the datagram crosses records itself while there is room: each virtual router on the way, the host when the request
 * arrives and when its reply leaves, each router on the way back (the prober's kernel records itself last, on
 * arrival). A full Timestamp option counts the nodes it missed in its overflow field, as RFC 791 says.
 */
public final class Ipv4OptionEcho {
    /** The most option bytes an IPv4 header holds. */
    public static final int MAX_LENGTH = 40;

    private Ipv4OptionEcho() {
    }

    /**
     * Builds the reply's options into {@code out} (at least {@link #MAX_LENGTH} bytes).
     *
     * @param request      the request's header, options already checked ({@link Ipv4Options#problem})
     * @param host         the host's address (the request's destination)
     * @param hops         the routers crossed, nearest first ({@code hopCount} of them)
     * @param arrivalMillis the time the request reached the host, ms since midnight UT
     * @param hostMillis   how long the host takes to answer, ms
     * @param hopMillis    how long each router adds, ms (both ways together)
     * @return the options' length, padded to a multiple of 4 with End of Option List; 0 when none are echoed
     */
    public static int build(Ipv4Packet request, int host, IpCidr[] hops, int hopCount, long arrivalMillis,
            long hostMillis, long hopMillis, byte[] out) {
        ByteBuf buf = request.buffer();
        int ip = request.offset();
        int n = 0;
        int rr = Ipv4Options.find(buf, ip, Ipv4Options.RECORD_ROUTE);
        int rrAt = -1;
        if (rr >= 0) {
            int len = buf.getUnsignedByte(rr + 1);
            buf.getBytes(rr, out, n, len);
            rrAt = n;
            n += len;
        }
        int ts = Ipv4Options.find(buf, ip, Ipv4Options.TIMESTAMP);
        int tsAt = -1;
        if (ts >= 0) {
            int len = buf.getUnsignedByte(ts + 1);
            buf.getBytes(ts, out, n, len);
            tsAt = n;
            n += len;
        }
        // The way there: each router records itself, then the host, when the request arrives.
        long t = arrivalMillis;
        for (int k = 0; k < hopCount; k++) {
            record(out, rrAt, tsAt, hops[k].ipv4Address(), t);
        }
        record(out, rrAt, tsAt, host, t);
        // The way back: the host when its reply leaves, then each router, farthest first.
        t += hostMillis;
        record(out, rrAt, tsAt, host, t);
        for (int k = hopCount - 1; k >= 0; k--) {
            t += hopMillis;
            record(out, rrAt, tsAt, hops[k].ipv4Address(), t);
        }
        while ((n & 3) != 0) {
            out[n++] = (byte) Ipv4Options.END;
        }
        return n;
    }

    /** One node's mark in Record Route and Timestamp (whichever are there and have room). */
    private static void record(byte[] o, int rr, int ts, int address, long millis) {
        if (rr >= 0) {
            int len = o[rr + 1] & 0xFF;
            int ptr = o[rr + 2] & 0xFF;
            if (ptr + 3 <= len) {
                putInt(o, rr + ptr - 1, address);
                o[rr + 2] = (byte) (ptr + 4);
            }
        }
        if (ts >= 0) {
            int len = o[ts + 1] & 0xFF;
            int ptr = o[ts + 2] & 0xFF;
            int flags = o[ts + 3] & 0xF;
            int time = (int) (millis % 86_400_000L);
            if (flags == Ipv4Options.TS_ONLY) {
                if (ptr + 3 <= len) {
                    putInt(o, ts + ptr - 1, time);
                    o[ts + 2] = (byte) (ptr + 4);
                    return;
                }
            } else if (ptr + 7 <= len) {
                if (flags == Ipv4Options.TS_AND_ADDRESS) {
                    putInt(o, ts + ptr - 1, address);
                    putInt(o, ts + ptr + 3, time);
                    o[ts + 2] = (byte) (ptr + 8);
                    return;
                }
                if (flags == Ipv4Options.TS_PRESPECIFIED) {
                    if (getInt(o, ts + ptr - 1) == address) {
                        putInt(o, ts + ptr + 3, time);
                        o[ts + 2] = (byte) (ptr + 8);
                    }
                    return; // a prespecified list never overflows
                }
            }
            if (flags == Ipv4Options.TS_PRESPECIFIED) {
                return;
            }
            int overflow = (o[ts + 3] & 0xF0) >>> 4;
            if (overflow < 15) {
                o[ts + 3] = (byte) ((overflow + 1) << 4 | flags);
            }
        }
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }
}
