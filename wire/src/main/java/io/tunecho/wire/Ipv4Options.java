package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/**
 * IPv4 options (RFC 791 3.1): the checks a receiving Linux host makes ({@code ip_options_compile}), and where the
 * options that an echo reply carries back are.
 *
 * <p>Layout: a type byte; End of Option List (0) and No Operation (1) are that byte alone; every other option has a
 * length byte (counting the type and length bytes) and, for Record Route (7), Timestamp (68) and the source routes
 * (131, 137), a pointer byte: the 1-based index, within the option, of the next free slot.
 */
public final class Ipv4Options {
    public static final int END = 0;
    public static final int NOP = 1;
    public static final int RECORD_ROUTE = 7;
    public static final int TIMESTAMP = 68;
    public static final int LOOSE_SOURCE_ROUTE = 131;
    public static final int STRICT_SOURCE_ROUTE = 137;
    public static final int ROUTER_ALERT = 148;
    /** Timestamp flags (low nibble of the fourth byte). */
    public static final int TS_ONLY = 0;
    public static final int TS_AND_ADDRESS = 1;
    public static final int TS_PRESPECIFIED = 3;

    private Ipv4Options() {
    }

    /**
     * Checks the options of the IPv4 header at {@code ip} (its header length already validated) as Linux does on
     * input.
     *
     * @return -1 when they are well formed; else the offset, from the header's start, of the first byte at fault
     *         (the pointer an ICMP parameter problem would carry)
     */
    public static int problem(ByteBuf buf, int ip) {
        int end = ip + ((buf.getUnsignedByte(ip) & 0xF) << 2);
        int p = ip + Ipv4Packet.MIN_HEADER_LENGTH;
        boolean rr = false;
        boolean ts = false;
        boolean sourceRoute = false;
        while (p < end) {
            int type = buf.getUnsignedByte(p);
            if (type == END) {
                return -1;
            }
            if (type == NOP) {
                p++;
                continue;
            }
            int left = end - p;
            if (left < 2) {
                return p - ip;
            }
            int length = buf.getUnsignedByte(p + 1);
            if (length < 2 || length > left) {
                return p + 1 - ip;
            }
            switch (type) {
                case RECORD_ROUTE:
                    if (rr) {
                        return p - ip;
                    }
                    rr = true;
                    if (length < 3) {
                        return p + 1 - ip;
                    }
                    int rrPointer = buf.getUnsignedByte(p + 2);
                    if (rrPointer < 4 || (rrPointer <= length && rrPointer + 3 > length)) {
                        return p + 2 - ip;
                    }
                    break;
                case TIMESTAMP:
                    if (ts) {
                        return p - ip;
                    }
                    ts = true;
                    int bad = timestampProblem(buf, p, length);
                    if (bad >= 0) {
                        return p + bad - ip;
                    }
                    break;
                case LOOSE_SOURCE_ROUTE:
                case STRICT_SOURCE_ROUTE:
                    if (sourceRoute) {
                        return p - ip;
                    }
                    sourceRoute = true;
                    if (length < 3) {
                        return p + 1 - ip;
                    }
                    if (buf.getUnsignedByte(p + 2) < 4) {
                        return p + 2 - ip;
                    }
                    break;
                case ROUTER_ALERT:
                    if (length < 4) {
                        return p + 1 - ip;
                    }
                    break;
                default:
                    break; // unknown options pass, as on Linux
            }
            p += length;
        }
        return -1;
    }

    /** The offset within the option of a timestamp option's fault, or -1. */
    private static int timestampProblem(ByteBuf buf, int p, int length) {
        if (length < 4) {
            return 1;
        }
        int pointer = buf.getUnsignedByte(p + 2);
        if (pointer < 5) {
            return 2;
        }
        int flags = buf.getUnsignedByte(p + 3) & 0xF;
        if (pointer <= length) {
            if (pointer + 3 > length) {
                return 2;
            }
            if ((flags == TS_AND_ADDRESS || flags == TS_PRESPECIFIED) && pointer + 7 > length) {
                return 2;
            }
        } else if (flags != TS_PRESPECIFIED && (buf.getUnsignedByte(p + 3) >> 4) == 15) {
            return 3; // the overflow counter is full
        }
        return -1;
    }

    /** Whether the options hold a loose or strict source route (which a Linux host drops by default). */
    public static boolean hasSourceRoute(ByteBuf buf, int ip) {
        return find(buf, ip, LOOSE_SOURCE_ROUTE) >= 0 || find(buf, ip, STRICT_SOURCE_ROUTE) >= 0;
    }

    /**
     * The index of the first option of {@code type} in well-formed options, or -1.
     */
    public static int find(ByteBuf buf, int ip, int type) {
        int end = ip + ((buf.getUnsignedByte(ip) & 0xF) << 2);
        int p = ip + Ipv4Packet.MIN_HEADER_LENGTH;
        while (p < end) {
            int t = buf.getUnsignedByte(p);
            if (t == END) {
                return -1;
            }
            if (t == NOP) {
                p++;
                continue;
            }
            if (t == type) {
                return p;
            }
            p += buf.getUnsignedByte(p + 1);
        }
        return -1;
    }
}
