package io.tunecho.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;

import static io.tunecho.samples.Packets.get16;
import static io.tunecho.samples.Packets.get32;
import static io.tunecho.samples.Packets.put16;
import static io.tunecho.samples.Packets.put32;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TCP segments for the tests, IPv4 or IPv6, built byte by byte with checksums computed here, independently of the
 * production code; and {@link Reply}, an answer taken apart the same way.
 */
public final class TcpPackets {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    /** fd00:198:18::1, the kernel's side, and fd00:198:18::2. */
    public static final byte[] HOST6 = Packets.bytes("fd000198001800000000000000000001");
    public static final byte[] PEER6 = Packets.bytes("fd000198001800000000000000000002");

    /** {@code nc -z 198.18.0.2 22} as Linux sent it into a TUN: seq 0x56636502, MSS, SACK, timestamps, wscale. */
    public static final String NC_SYN = "4500003cee0f40004006c084c6120001c6120002a09a00165663650200000000a002faf0a957"
            + "0000020405b40402080ac5d0f5a5000000000103030a";
    /** {@code nmap -sS -p 22 198.18.0.2} into a TUN: seq 0xb716ec9d, TTL 53, no DF, window 1024, only MSS 1460. */
    public static final String NMAP_SYN = "4500002c5f25000035069a7fc6120001c6120002d44b0016b716ec9d00000000600204008fe8"
            + "0000020405b4";
    /** {@code nc -z fd00:198:18::2 22} into a TUN: seq 0xf88ebbdb, MSS 1440, flow label 0x88652. */
    public static final String NC_SYN_V6 = "6008865200280640fd000198001800000000000000000001fd0001980018000000000000000000"
            + "02b7cc0016f88ebbdb00000000a002fd20f8ed0000020405a00402080afd6ceae3000000000103030a";
    /**
     * Linux's answer to an IPv6 SYN for a closed port (fd00::1:35906 → fd00::2:23, seq 0xd2d5b82e), captured on a
     * veth pair: RST|ACK, hop limit 64, flow label 0xeec68 (its checksum left to the offload).
     */
    public static final String LINUX_RST_V6 = "600eec6800140640fd000000000000000000000000000002fd00000000000000000000000000"
            + "000100178c4200000000d2d5b82f50140000fa1e0000";

    /**
     * Linux 6.18's answer to a SYN for a closed port, captured on a veth pair: 198.18.0.2:23 → 198.18.0.1:58112,
     * RST|ACK, seq 0, ack 0x993f6478, window 0, DF, identification 0, TTL 64. It answers {@link #LINUX_SYN_23}.
     */
    public static final String LINUX_RST = "45000028000040004006aea8c6120002c61200010017e30000000000993f64785014000042d90000";
    /**
     * The SYN it answers: nc's, 198.18.0.1:58112 → 198.18.0.2:23, seq 0x993f6477 (captured before the checksum was
     * filled in by the veth's offload: {@link #withTcpChecksum} fixes that).
     */
    public static final String LINUX_SYN_23 = "4500003caaf840004006039cc6120001c6120002e3000017993f647700000000a002faf08c56"
            + "0000020405b40402080a8498596e000000000103030a";
    /**
     * Linux's SYN-ACK to nmap's SYN (seq 0x67b768f5, MSS 1460) for an open port: 198.18.0.2:22 → 198.18.0.1:54969,
     * ISN 0x01092c84, window 64240, only an MSS option, DF, identification 0. (Its checksum was left to the veth's
     * offload: the last four bytes before the option are the partial sum.)
     */
    public static final String LINUX_SYN_ACK = "4500002c000040004006aea4c6120002c61200010016d6b901092c8467b768f66012faf08c46"
            + "0000020405b4";

    private TcpPackets() {
    }

    /** A segment to build; every field has a default: an IPv4 SYN 198.18.0.1:40000 → 198.18.0.2:22. */
    public static final class Segment {
        int version = 4;
        int src = Packets.HOST;
        int dst = Packets.PEER;
        public byte[] src6 = HOST6;
        public byte[] dst6 = PEER6;
        int tos;
        int ttl = 64;
        byte[] ipOptions = new byte[0];
        /** IPv6: extension headers between the fixed header and TCP, whose first byte is patched to TCP. */
        byte[] extensionHeaders = new byte[0];
        int extensionHeaderType;
        int sport = 40000;
        int dport = 22;
        int seq = 1000;
        int ack;
        int flags = SYN;
        int window = 64240;
        byte[] options = new byte[0];
        byte[] data = new byte[0];

        public Segment v6() { version = 6; return this; }
        public Segment src(int v) { src = v; return this; }
        public Segment dst(int v) { dst = v; return this; }
        public Segment tos(int v) { tos = v; return this; }
        public Segment ipOptions(byte[] v) { ipOptions = v; return this; }
        public Segment extensionHeader(int type, byte[] v) { extensionHeaderType = type; extensionHeaders = v; return this; }
        public Segment sport(int v) { sport = v; return this; }
        public Segment dport(int v) { dport = v; return this; }
        public Segment seq(int v) { seq = v; return this; }
        public Segment ack(int v) { ack = v; return this; }
        public Segment flags(int v) { flags = v; return this; }
        public Segment options(byte[] v) { options = v; return this; }
        public Segment data(byte[] v) { data = v; return this; }

        public byte[] build() {
            int tcpLength = 20 + options.length + data.length;
            byte[] tcp = new byte[tcpLength];
            put16(tcp, 0, sport);
            put16(tcp, 2, dport);
            put32(tcp, 4, seq);
            put32(tcp, 8, ack);
            tcp[12] = (byte) ((20 + options.length) / 4 << 4);
            tcp[13] = (byte) flags;
            put16(tcp, 14, window);
            System.arraycopy(options, 0, tcp, 20, options.length);
            System.arraycopy(data, 0, tcp, 20 + options.length, data.length);
            byte[] p;
            int at;
            if (version == 4) {
                int ihl = 20 + ipOptions.length;
                p = new byte[ihl + tcpLength];
                p[0] = (byte) (0x40 | ihl / 4);
                p[1] = (byte) tos;
                put16(p, 2, p.length);
                put16(p, 4, 0x4242);
                put16(p, 6, 0x4000);
                p[8] = (byte) ttl;
                p[9] = 6;
                put32(p, 12, src);
                put32(p, 16, dst);
                System.arraycopy(ipOptions, 0, p, 20, ipOptions.length);
                put16(p, 10, Packets.checksum(p, 0, ihl));
                at = ihl;
            } else {
                int ext = extensionHeaders.length;
                p = new byte[40 + ext + tcpLength];
                put32(p, 0, 0x60012345);
                put16(p, 4, ext + tcpLength);
                p[6] = (byte) (ext > 0 ? extensionHeaderType : 6);
                p[7] = (byte) ttl;
                System.arraycopy(src6, 0, p, 8, 16);
                System.arraycopy(dst6, 0, p, 24, 16);
                System.arraycopy(extensionHeaders, 0, p, 40, ext);
                if (ext > 0) {
                    p[40] = 6;
                }
                at = 40 + ext;
            }
            System.arraycopy(tcp, 0, p, at, tcpLength);
            put16(p, at + 16, tcpChecksum(p, at));
            return p;
        }

        public ByteBuf buf() {
            return Unpooled.directBuffer().writeBytes(build());
        }
    }

    /** The TCP checksum of a packet whose TCP header starts at {@code at}: 0 when the one in it is right. */
    public static int tcpChecksum(byte[] p, int at) {
        int version = (p[0] & 0xFF) >> 4;
        int length = p.length - at;
        byte[] pseudo;
        if (version == 4) {
            pseudo = new byte[12];
            System.arraycopy(p, 12, pseudo, 0, 8);
            pseudo[9] = 6;
            put16(pseudo, 10, length);
        } else {
            pseudo = new byte[40];
            System.arraycopy(p, 8, pseudo, 0, 32);
            put32(pseudo, 32, length);
            pseudo[39] = 6;
        }
        byte[] all = new byte[pseudo.length + length];
        System.arraycopy(pseudo, 0, all, 0, pseudo.length);
        System.arraycopy(p, at, all, pseudo.length, length);
        return Packets.checksum(all, 0, all.length);
    }

    /** A captured IPv4 packet whose TCP checksum the sender's offload never filled in, with the right one. */
    public static byte[] withTcpChecksum(String hex) {
        byte[] p = Packets.bytes(hex);
        int at = (p[0] & 0xF) * 4;
        put16(p, at + 16, 0);
        put16(p, at + 16, tcpChecksum(p, at));
        return p;
    }

    /** An answer, taken apart; {@link #assertWellFormed} checks its lengths and checksums. */
    public static final class Reply {
        public final byte[] bytes;
        public final int version;
        public final int tcp;

        public Reply(byte[] bytes) {
            this.bytes = bytes;
            this.version = (bytes[0] & 0xFF) >> 4;
            this.tcp = version == 4 ? (bytes[0] & 0xF) * 4 : 40;
        }

        public int sport() { return get16(bytes, tcp); }
        public int dport() { return get16(bytes, tcp + 2); }
        public int seq() { return get32(bytes, tcp + 4); }
        public int ack() { return get32(bytes, tcp + 8); }
        public int headerLength() { return ((bytes[tcp + 12] & 0xFF) >> 4) * 4; }
        public int flags() { return bytes[tcp + 13] & 0xFF; }
        public int window() { return get16(bytes, tcp + 14); }
        public int urgent() { return get16(bytes, tcp + 18); }
        public byte[] options() { return Arrays.copyOfRange(bytes, tcp + 20, tcp + headerLength()); }
        public int ttl() { return bytes[version == 4 ? 8 : 7] & 0xFF; }
        public int tos() { return bytes[1] & 0xFF; }

        /** Lengths, checksums, DF and identification 0 (IPv4), class and flow label 0 (IPv6), no data. */
        public Reply assertWellFormed() {
            if (version == 4) {
                assertEquals(0x45, bytes[0] & 0xFF, "IPv4, no options");
                assertEquals(bytes.length, get16(bytes, 2), "total length");
                assertEquals(0, get16(bytes, 4), "identification 0, as Linux's SYN-ACK and RST");
                assertEquals(0x4000, get16(bytes, 6), "DF, not a fragment");
                assertEquals(6, bytes[9], "protocol");
                assertEquals(0, Packets.checksum(bytes, 0, 20), "IPv4 header checksum");
            } else {
                assertEquals(0x60000000, get32(bytes, 0), "version 6, class and flow label 0");
                assertEquals(bytes.length - 40, get16(bytes, 4), "payload length");
                assertEquals(6, bytes[6], "next header TCP, no extension headers");
            }
            assertEquals(bytes.length - tcp, headerLength(), "no data");
            assertEquals(0, bytes[tcp + 12] & 0x0F, "reserved bits");
            assertEquals(0, urgent(), "urgent pointer");
            assertEquals(0, tcpChecksum(bytes, tcp), "TCP checksum");
            return this;
        }

        /** From the request's destination to its source, ports swapped. */
        public Reply assertAnswers(byte[] request) {
            Reply req = new Reply(request);
            if (version == 4) {
                assertEquals(get32(request, 16), get32(bytes, 12), "from the address probed");
                assertEquals(get32(request, 12), get32(bytes, 16), "to the prober");
            } else {
                assertEquals(Arrays.toString(Arrays.copyOfRange(request, 24, 40)),
                        Arrays.toString(Arrays.copyOfRange(bytes, 8, 24)), "from the address probed");
                assertEquals(Arrays.toString(Arrays.copyOfRange(request, 8, 24)),
                        Arrays.toString(Arrays.copyOfRange(bytes, 24, 40)), "to the prober");
            }
            int reqTcp = version == 4 ? (request[0] & 0xF) * 4 : tcpOffsetV6(request);
            assertEquals(get16(request, reqTcp + 2), sport(), "from the port probed");
            assertEquals(get16(request, reqTcp), dport(), "to the prober's port");
            assertEquals(req.version, version);
            return this;
        }

        private static int tcpOffsetV6(byte[] request) {
            int at = 40;
            int next = request[6] & 0xFF;
            while (next != 6) {
                next = request[at] & 0xFF;
                at += ((request[at + 1] & 0xFF) + 1) * 8;
            }
            return at;
        }
    }
}
