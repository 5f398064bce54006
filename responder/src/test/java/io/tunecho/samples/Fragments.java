package io.tunecho.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static io.tunecho.samples.Packets.checksum;
import static io.tunecho.samples.Packets.get16;
import static io.tunecho.samples.Packets.put16;
import static io.tunecho.samples.Packets.put32;

/**
 * Fragments as byte arrays, for the tests: captured ones (Linux {@code ping -s 8000} and {@code ping -6 -s 8000}
 * into a TUN of MTU 1500, iputils 20221126, kernel 6.18), and an independent fragmenter and reassembler written byte
 * by byte from RFC 791 and RFC 8200 (without the production code's views), to build fragments of any size and to
 * check what the production code made.
 */
public final class Fragments {
    /** {@code ping -s 8000 198.18.0.2}: six fragments, 198.18.0.1 → 198.18.0.2, id 0xc395, in the order sent. */
    public static final String PING_S8000 = "captures/ping-s8000.hex";
    /** {@code ping -6 -s 8000 fd00:198:18::2}: six fragments, fd00:198:18::1 → ::2, id 0x47d92de0. */
    public static final String PING6_S8000 = "captures/ping6-s8000.hex";

    public static final long V6_HOST_HIGH = 0xfd00_0198_0018_0000L; // fd00:198:18::/64
    public static final long V6_HOST_LOW = 1;  // fd00:198:18::1, the kernel's side
    public static final long V6_PEER_LOW = 2;  // fd00:198:18::2, answered

    private Fragments() {
    }

    public static List<byte[]> load(String resource) {
        try (InputStream in = Fragments.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            List<byte[]> packets = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank()) {
                    packets.add(ByteBufUtil.decodeHexDump(line.trim()));
                }
            }
            return packets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ByteBuf buf(byte[] packet) {
        return Unpooled.directBuffer(packet.length).writeBytes(packet);
    }

    public static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }

    // ---- IPv4 ----

    public static int ipv4HeaderLength(byte[] p) {
        return (p[0] & 0xF) * 4;
    }

    public static int ipv4Offset(byte[] p) {
        return (get16(p, 6) & 0x1FFF) * 8;
    }

    public static boolean ipv4More(byte[] p) {
        return (get16(p, 6) & 0x2000) != 0;
    }

    /** RFC 791 reassembly of complete, non-overlapping fragments: the first's header, then the data by offset. */
    public static byte[] reassembleIpv4(List<byte[]> fragments) {
        List<byte[]> sorted = new ArrayList<>(fragments);
        sorted.sort(Comparator.comparingInt(Fragments::ipv4Offset));
        byte[] first = sorted.get(0);
        int ihl = ipv4HeaderLength(first);
        byte[] last = sorted.get(sorted.size() - 1);
        int dataLength = ipv4Offset(last) + get16(last, 2) - ipv4HeaderLength(last);
        byte[] out = new byte[ihl + dataLength];
        System.arraycopy(first, 0, out, 0, ihl);
        int expected = 0;
        for (byte[] f : sorted) {
            int h = ipv4HeaderLength(f);
            int len = get16(f, 2) - h;
            if (ipv4Offset(f) != expected) {
                throw new AssertionError("a gap or overlap at " + expected);
            }
            System.arraycopy(f, h, out, ihl + ipv4Offset(f), len);
            expected += len;
        }
        put16(out, 2, out.length);
        put16(out, 6, 0);
        put16(out, 10, 0);
        put16(out, 10, checksum(out, 0, ihl));
        return out;
    }

    /** RFC 791 fragmentation without options: data in multiples of 8, MF on all but the last. */
    public static List<byte[]> cutIpv4(byte[] datagram, int mtu, int id) {
        int ihl = ipv4HeaderLength(datagram);
        int dataLength = get16(datagram, 2) - ihl;
        int per = (mtu - ihl) / 8 * 8;
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < dataLength; off += per) {
            int len = Math.min(per, dataLength - off);
            byte[] f = new byte[ihl + len];
            System.arraycopy(datagram, 0, f, 0, ihl);
            System.arraycopy(datagram, ihl + off, f, ihl, len);
            put16(f, 2, f.length);
            put16(f, 4, id);
            put16(f, 6, (off + len < dataLength ? 0x2000 : 0) | off / 8);
            put16(f, 10, 0);
            put16(f, 10, checksum(f, 0, ihl));
            out.add(f);
        }
        return out;
    }

    /**
     * An IPv4 fragment built from scratch: 198.18.0.1 → {@code dst}, ICMP, the given id, offset (bytes), MF and data.
     */
    public static byte[] ipv4Fragment(int dst, int id, int offset, boolean more, byte[] data) {
        byte[] f = new byte[20 + data.length];
        f[0] = 0x45;
        put16(f, 2, f.length);
        put16(f, 4, id);
        put16(f, 6, (more ? 0x2000 : 0) | offset / 8);
        f[8] = 64;
        f[9] = 1;
        put32(f, 12, Packets.HOST);
        put32(f, 16, dst);
        System.arraycopy(data, 0, f, 20, data.length);
        put16(f, 10, checksum(f, 0, 20));
        return f;
    }

    /** The echo reply a Linux host sends for an echo request datagram without options, byte by byte. */
    public static byte[] echoReplyTo(byte[] request) {
        byte[] r = request.clone();
        System.arraycopy(request, 12, r, 16, 4);
        System.arraycopy(request, 16, r, 12, 4);
        r[8] = 64;
        put16(r, 10, 0);
        put16(r, 10, checksum(r, 0, 20));
        r[20] = 0;
        put16(r, 22, 0);
        put16(r, 22, checksum(r, 20, r.length - 20));
        return r;
    }

    /** An echo request datagram, 198.18.0.1 → 198.18.0.2, with a payload of {@code size} bytes. */
    public static byte[] echoRequest(int size, int seq) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i * 7 + (i >> 8));
        }
        return new Packets.Builder().flagsFragment(0).seq(seq).payload(payload).build();
    }

    // ---- IPv6 ----

    /** The offset of the fragment header, walking hop-by-hop, routing and destination options headers; or -1. */
    public static int ipv6FragmentHeader(byte[] p) {
        int next = p[6] & 0xFF;
        int at = 40;
        while (next == 0 || next == 43 || next == 60) {
            next = p[at] & 0xFF;
            at += ((p[at + 1] & 0xFF) + 1) * 8;
        }
        return next == 44 ? at : -1;
    }

    /** The offset of the Next Header field that names the header at {@code header}. */
    public static int ipv6FieldNaming(byte[] p, int header) {
        int field = 6;
        int at = 40;
        while (at < header) {
            int type = p[field] & 0xFF;
            field = at;
            at += type == 44 ? 8 : ((p[at + 1] & 0xFF) + 1) * 8;
        }
        return field;
    }

    public static int ipv6Offset(byte[] p) {
        return get16(p, ipv6FragmentHeader(p) + 2) & 0xFFF8;
    }

    public static boolean ipv6More(byte[] p) {
        return (get16(p, ipv6FragmentHeader(p) + 2) & 1) != 0;
    }

    public static int ipv6Identification(byte[] p) {
        return Packets.get32(p, ipv6FragmentHeader(p) + 4);
    }

    /** RFC 8200 4.5 reassembly: the first fragment's unfragmentable part without the fragment header, the data. */
    public static byte[] reassembleIpv6(List<byte[]> fragments) {
        List<byte[]> sorted = new ArrayList<>(fragments);
        sorted.sort(Comparator.comparingInt(Fragments::ipv6Offset));
        byte[] first = sorted.get(0);
        int fh = ipv6FragmentHeader(first);
        ByteArrayBuilder out = new ByteArrayBuilder();
        out.write(first, 0, fh);
        int expected = 0;
        for (byte[] f : sorted) {
            int dataAt = ipv6FragmentHeader(f) + 8;
            int len = 40 + get16(f, 4) - dataAt;
            if (ipv6Offset(f) != expected) {
                throw new AssertionError("a gap or overlap at " + expected);
            }
            out.write(f, dataAt, len);
            expected += len;
        }
        byte[] r = out.toByteArray();
        r[ipv6FieldNaming(first, fh)] = first[fh];
        put16(r, 4, r.length - 40);
        return r;
    }

    /**
     * RFC 8200 4.5 fragmentation of a packet whose unfragmentable part is {@code unfragmentable} bytes: each
     * fragment that part, a fragment header, and up to what fits the MTU in multiples of 8.
     */
    public static List<byte[]> cutIpv6(byte[] packet, int unfragmentable, int mtu, int id) {
        int dataLength = packet.length - unfragmentable;
        int per = (mtu - unfragmentable - 8) / 8 * 8;
        int field = ipv6FieldNaming(packet, unfragmentable);
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < dataLength; off += per) {
            int len = Math.min(per, dataLength - off);
            byte[] f = new byte[unfragmentable + 8 + len];
            System.arraycopy(packet, 0, f, 0, unfragmentable);
            f[field] = 44;
            f[unfragmentable] = packet[field];
            put16(f, unfragmentable + 2, off | (off + len < dataLength ? 1 : 0));
            put32(f, unfragmentable + 4, id);
            System.arraycopy(packet, unfragmentable + off, f, unfragmentable + 8, len);
            put16(f, 4, f.length - 40);
            out.add(f);
        }
        return out;
    }

    /** An IPv6 fragment built from scratch: fd00:198:18::1 → {@code dstLow} in fd00:198:18::/64. */
    public static byte[] ipv6Fragment(long dstLow, int id, int offset, boolean more, byte[] data) {
        byte[] f = new byte[48 + data.length];
        f[0] = 0x60;
        put16(f, 4, 8 + data.length);
        f[6] = 44;
        f[7] = 64;
        putLong(f, 8, V6_HOST_HIGH);
        putLong(f, 16, V6_HOST_LOW);
        putLong(f, 24, V6_HOST_HIGH);
        putLong(f, 32, dstLow);
        f[40] = 58;
        put16(f, 42, offset | (more ? 1 : 0));
        put32(f, 44, id);
        System.arraycopy(data, 0, f, 48, data.length);
        return f;
    }

    public static void putLong(byte[] p, int off, long v) {
        put32(p, off, (int) (v >>> 32));
        put32(p, off + 4, (int) v);
    }

    /** The ICMPv6 checksum of a packet whose upper layer (ICMPv6) starts at {@code at}, byte by byte (RFC 8200 8.1). */
    public static int icmpv6Checksum(byte[] p, int at) {
        int len = p.length - at;
        byte[] pseudo = new byte[40 + len];
        System.arraycopy(p, 8, pseudo, 0, 32);
        put32(pseudo, 32, len);
        pseudo[39] = 58;
        System.arraycopy(p, at, pseudo, 40, len);
        return checksum(pseudo, 0, pseudo.length);
    }

    public static byte[] range(byte[] p, int from, int to) {
        return Arrays.copyOfRange(p, from, to);
    }

    /** A growable byte array (java.io.ByteArrayOutputStream without the checked exceptions). */
    public static final class ByteArrayBuilder {
        private byte[] bytes = new byte[256];
        private int size;

        public void write(byte[] b, int off, int len) {
            if (size + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
