package io.tunecho.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Packets as Linux sends them into a TUN, captured from tunecho's own TunChannel while the real {@code ping}
 * (iputils 20221126) ran, plus a builder for variants whose checksums are computed byte by byte, independently of
 * the production checksum code.
 */
public final class Packets {
    /** {@code ping 198.18.0.2}: 198.18.0.1 → 198.18.0.2, id 0x1950, seq 1, 56-byte payload (timestamp + 0x10..). */
    public static final String ECHO_REQUEST = "45000054cdc640004001e0bac6120001c6120002080002131950000159fc056b00000000"
            + "b1610d0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    /** {@code ping -s 57}: an odd payload length. */
    public static final String ECHO_REQUEST_ODD = "45000055cdef40004001e090c6120001c612000208009eb8195100015afc056b00000000"
            + "e6ba020000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738";

    /** {@code ping -R -s 3}: a record-route option (IHL 15) and a 3-byte payload. */
    public static final String ECHO_REQUEST_RECORD_ROUTE = "4f000047ce0c40004001e85ec6120001c612000201072708c6120001"
            + "00000000000000000000000000000000000000000000000000000000000000000800dcab19520001000102";

    /** The router solicitation the kernel sends when the link comes up. */
    public static final String IPV6_ROUTER_SOLICITATION = "6000000000083afffe80000000000000f7a813c7f6600bb8ff02000000000"
            + "000000000000000000285006fae00000000";

    public static final int HOST = 0xC6120001;   // 198.18.0.1, the kernel's side
    public static final int PEER = 0xC6120002;   // 198.18.0.2, answered

    private Packets() {
    }

    public static ByteBuf buf(String hex) {
        return Unpooled.directBuffer().writeBytes(ByteBufUtil.decodeHexDump(hex));
    }

    public static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex);
    }

    /** A builder of IPv4 packets; {@link #build()} fills both checksums unless told to leave them wrong. */
    public static final class Builder {
        int src = HOST;
        int dst = PEER;
        int protocol = 1;
        int ttl = 64;
        int flagsFragment = 0x4000;
        byte[] options = new byte[0];
        int icmpType = 8;
        int icmpCode = 0;
        int id = 0x1234;
        int seq = 7;
        byte[] payload = pattern(56);

        public Builder src(int v) { src = v; return this; }
        public Builder dst(int v) { dst = v; return this; }
        public Builder protocol(int v) { protocol = v; return this; }
        public Builder flagsFragment(int v) { flagsFragment = v; return this; }
        public Builder seq(int v) { seq = v; return this; }
        public Builder ttl(int v) { ttl = v; return this; }
        public Builder options(byte[] v) { options = v; return this; }
        public Builder icmpType(int v) { icmpType = v; return this; }
        public Builder icmpCode(int v) { icmpCode = v; return this; }
        public Builder payload(byte[] v) { payload = v; return this; }

        public byte[] build() {
            int ihl = 20 + options.length;
            byte[] p = new byte[ihl + 8 + payload.length];
            p[0] = (byte) (0x40 | ihl / 4);
            put16(p, 2, p.length);
            put16(p, 4, 0xBEEF);
            put16(p, 6, flagsFragment);
            p[8] = (byte) ttl;
            p[9] = (byte) protocol;
            put32(p, 12, src);
            put32(p, 16, dst);
            System.arraycopy(options, 0, p, 20, options.length);
            put16(p, 10, checksum(p, 0, ihl));
            p[ihl] = (byte) icmpType;
            p[ihl + 1] = (byte) icmpCode;
            put16(p, ihl + 4, id);
            put16(p, ihl + 6, seq);
            System.arraycopy(payload, 0, p, ihl + 8, payload.length);
            put16(p, ihl + 2, checksum(p, ihl, p.length - ihl));
            return p;
        }

        public ByteBuf buf() {
            return Unpooled.directBuffer().writeBytes(build());
        }
    }

    public static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (0x10 + i);
        }
        return b;
    }

    public static void put16(byte[] p, int off, int v) {
        p[off] = (byte) (v >> 8);
        p[off + 1] = (byte) v;
    }

    public static void put32(byte[] p, int off, int v) {
        put16(p, off, v >>> 16);
        put16(p, off + 2, v);
    }

    public static int get16(byte[] p, int off) {
        return (p[off] & 0xFF) << 8 | (p[off + 1] & 0xFF);
    }

    public static int get32(byte[] p, int off) {
        return get16(p, off) << 16 | get16(p, off + 2);
    }

    /** RFC 1071 checksum, byte by byte: the reference the tests trust. */
    public static int checksum(byte[] p, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = p[off + i] & 0xFF;
            int lo = i + 1 < len ? p[off + i + 1] & 0xFF : 0;
            sum += hi << 8 | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
