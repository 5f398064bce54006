package io.tunecho.ip;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.policy.UpHosts;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.samples.Fragments;
import io.tunecho.samples.Packets;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.tunecho.samples.Fragments.V6_HOST_HIGH;
import static io.tunecho.samples.Fragments.V6_HOST_LOW;
import static io.tunecho.samples.Fragments.V6_PEER_LOW;
import static io.tunecho.samples.Fragments.bytes;
import static io.tunecho.samples.Fragments.icmpv6Checksum;
import static io.tunecho.samples.Fragments.range;
import static io.tunecho.samples.Packets.checksum;
import static io.tunecho.samples.Packets.get16;
import static io.tunecho.samples.Packets.put16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Fragmenter}: packets around and far above the MTU, IPv4 and IPv6, checked field by field, reassembled byte
 * by byte, and reassembled by {@link Reassembler} back to the original.
 */
class FragmenterTest {
    private final List<ByteBuf> written = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        for (ByteBuf b : written) {
            assertEquals(0, b.refCnt(), "a packet was not released");
        }
    }

    private EmbeddedChannel fragmenter(int mtu) {
        EmbeddedChannel ch = new EmbeddedChannel(new Fragmenter(mtu, new SplittableRandom(1)));
        channels.add(ch);
        return ch;
    }

    /** Writes a packet through a fragmenter and returns what came out, as byte arrays. */
    private List<byte[]> cut(EmbeddedChannel ch, byte[] packet) {
        ByteBuf b = Fragments.buf(packet);
        written.add(b);
        ch.writeOutbound(b);
        return drain(ch);
    }

    private static List<byte[]> drain(EmbeddedChannel ch) {
        List<byte[]> out = new ArrayList<>();
        for (ByteBuf f; (f = ch.readOutbound()) != null; ) {
            out.add(bytes(f));
            f.release();
        }
        return out;
    }

    /** What {@link Reassembler} makes of fragments. */
    private byte[] reassemble(List<byte[]> fragments) {
        EmbeddedChannel ch = new EmbeddedChannel();
        channels.add(ch);
        PacketCounters counters = new PacketCounters();
        PacketContext packet = new PacketContext();
        HostTable hosts = HostTable.forInterface(IpCidr.parse("198.18.0.1/24"), List.of());
        ch.pipeline().addLast(new IpVersionDispatcher(counters, packet), new Ipv4Validator(counters, packet, true),
                new ReassemblyTest.Ipv6Check(counters, packet),
                new Reassembler(counters, packet, new UpHosts(() -> hosts), new ManualClock(), ReassemblyLimits.DEFAULTS));
        for (byte[] f : fragments) {
            ch.writeInbound(Fragments.buf(f));
        }
        ByteBuf whole = ch.readInbound();
        assertEquals(0, counters.droppedTotal(), counters.toString());
        byte[] b = bytes(whole);
        whole.release();
        assertNull(ch.readInbound());
        return b;
    }

    /** An IPv4 echo reply shaped datagram of {@code totalLength} bytes, DF set, with IP options if given. */
    private static byte[] ipv4(int totalLength, byte[] options) {
        byte[] payload = new byte[totalLength - 20 - options.length - 8];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 13 + (i >> 8));
        }
        byte[] p = new Packets.Builder().src(Packets.PEER).dst(Packets.HOST).icmpType(0).options(options)
                .payload(payload).build();
        assertEquals(totalLength, p.length);
        return p;
    }

    /** The original datagram as reassembly gives it back: no flags, the fragments' identification. */
    private static byte[] asReassembled(byte[] original, int identification) {
        byte[] expected = original.clone();
        int ihl = Fragments.ipv4HeaderLength(expected);
        put16(expected, 4, identification);
        put16(expected, 6, 0);
        put16(expected, 10, 0);
        put16(expected, 10, checksum(expected, 0, ihl));
        return expected;
    }

    @ParameterizedTest
    @CsvSource({"1500,1499", "1500,1500", "1280,1280", "68,68", "9000,8999"})
    void packetsWithinTheMtuPassUntouched(int mtu, int length) {
        EmbeddedChannel ch = fragmenter(mtu);
        ByteBuf b = Fragments.buf(ipv4(length, new byte[0]));
        written.add(b);
        ch.writeOutbound(b);
        ByteBuf out = ch.readOutbound();
        assertSame(b, out, "the same buffer, not a copy");
        out.release();
        assertNull(ch.readOutbound());
    }

    @ParameterizedTest
    @CsvSource({"1500,1501", "1500,1502", "1500,1508", "1500,2980", "1500,2981", "1500,8028", "1500,65535",
            "1280,1281", "576,5000", "68,500", "9000,65535", "1501,3000"})
    void ipv4FragmentsReassembleToTheOriginal(int mtu, int length) {
        byte[] original = ipv4(length, new byte[0]);
        List<byte[]> fragments = cut(fragmenter(mtu), original);
        int per = (mtu - 20) / 8 * 8;
        int data = length - 20;
        assertEquals((data + per - 1) / per, fragments.size());
        int id = get16(fragments.get(0), 4);
        int offset = 0;
        for (int i = 0; i < fragments.size(); i++) {
            byte[] f = fragments.get(i);
            boolean last = i == fragments.size() - 1;
            assertTrue(f.length <= mtu, f.length + " bytes in an MTU of " + mtu);
            assertEquals(f.length, get16(f, 2), "total length");
            assertEquals(0x45, f[0] & 0xFF);
            assertEquals(id, get16(f, 4), "one identification for the datagram");
            assertEquals((last ? 0 : 0x2000) | offset / 8, get16(f, 6), "DF clear, MF but on the last, offset");
            assertEquals(0, checksum(f, 0, 20), "header checksum of fragment " + i);
            assertArrayEquals(range(original, 8, 10), range(f, 8, 10), "TTL and protocol");
            assertArrayEquals(range(original, 12, 20), range(f, 12, 20), "addresses");
            assertArrayEquals(range(original, 20 + offset, 20 + offset + f.length - 20), range(f, 20, f.length));
            assertEquals(last ? data - offset : per, f.length - 20);
            offset += f.length - 20;
        }
        byte[] expected = asReassembled(original, id);
        assertArrayEquals(expected, Fragments.reassembleIpv4(fragments), "byte by byte");
        assertArrayEquals(expected, reassemble(fragments), "by the Reassembler");
    }

    @Test
    void laterIpv4FragmentsKeepOnlyTheCopiedOptions() {
        // record route (7, not copied), 12 bytes; router alert (148, copied), 4 bytes; 16 bytes of options
        byte[] options = {7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 148, 4, 0, 0};
        byte[] original = ipv4(4000, options);
        List<byte[]> fragments = cut(fragmenter(1500), original);
        assertEquals(3, fragments.size());
        byte[] first = fragments.get(0);
        assertEquals(0x49, first[0] & 0xFF);
        assertArrayEquals(options, range(first, 20, 36), "the first fragment has every option");
        byte[] laterOptions = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, (byte) 148, 4, 0, 0};
        for (byte[] f : fragments.subList(1, 3)) {
            assertEquals(0x49, f[0] & 0xFF, "the same header length");
            assertArrayEquals(laterOptions, range(f, 20, 36), "record route became NOPs, router alert stayed");
            assertEquals(0, checksum(f, 0, 36));
        }
        assertEquals(1464, first.length - 36, "1500 - 36, a multiple of 8");
        byte[] expected = asReassembled(original, get16(first, 4));
        assertArrayEquals(expected, Fragments.reassembleIpv4(fragments));
        assertArrayEquals(expected, reassemble(fragments));
    }

    @Test
    void eachDatagramGetsItsOwnIdentification() {
        EmbeddedChannel ch = fragmenter(1500);
        int a = get16(cut(ch, ipv4(3000, new byte[0])).get(0), 4);
        int b = get16(cut(ch, ipv4(3000, new byte[0])).get(0), 4);
        assertNotEquals(a, b);
    }

    @Test
    void theFirstIpv4FragmentIsThePacketItselfWhenNothingElseHoldsIt() {
        EmbeddedChannel ch = fragmenter(1500);
        ByteBuf b = Fragments.buf(ipv4(3000, new byte[0]));
        written.add(b);
        ch.writeOutbound(b);
        ByteBuf first = ch.readOutbound();
        assertSame(b, first, "its header rewritten in place");
        assertEquals(1500, first.readableBytes());
        first.release();
        drain(ch);
    }

    @Test
    void aPacketSharedWithADuplicateIsNotChanged() {
        EmbeddedChannel ch = fragmenter(1500);
        byte[] original = ipv4(4000, new byte[0]);
        ByteBuf b = Fragments.buf(original);
        written.add(b);
        ByteBuf duplicate = b.retainedDuplicate(); // as ReplyShaper duplicates a reply
        ch.writeOutbound(duplicate);
        ch.writeOutbound(b);
        List<byte[]> out = drain(ch);
        assertEquals(6, out.size());
        List<byte[]> one = out.subList(0, 3);
        List<byte[]> two = out.subList(3, 6);
        assertArrayEquals(asReassembled(original, get16(one.get(0), 4)), Fragments.reassembleIpv4(one));
        assertArrayEquals(asReassembled(original, get16(two.get(0), 4)), Fragments.reassembleIpv4(two));
    }

    @Test
    void aPromiseCompletesOnceEveryFragmentIsWritten() {
        EmbeddedChannel ch = fragmenter(1500);
        ByteBuf b = Fragments.buf(ipv4(4000, new byte[0]));
        written.add(b);
        ChannelFuture f = ch.writeAndFlush(b);
        assertTrue(f.isSuccess());
        assertEquals(3, drain(ch).size());
    }

    @Test
    void whatIsNotAValidIpPacketIsWrittenAsItIs() {
        EmbeddedChannel ch = fragmenter(1500);
        byte[] garbage = new byte[3000];
        garbage[0] = 0x45; // an IPv4 header whose checksum is wrong
        ByteBuf b = Fragments.buf(garbage);
        written.add(b);
        ch.writeOutbound(b);
        ByteBuf out = ch.readOutbound();
        assertSame(b, out);
        out.release();
    }

    @Test
    void theMtuHasAFloor() {
        assertThrows(IllegalArgumentException.class, () -> new Fragmenter(67, new SplittableRandom(1)));
    }

    @Test
    void thePipelineFragmentsAtTheMtuItIsGiven() {
        HostTable hosts = HostTable.forInterface(IpCidr.parse("198.18.0.1/24"), List.of());
        ResponderPipeline.Builder builder = ResponderPipeline.builder(new PacketCounters(), () -> hosts);
        assertThrows(IllegalArgumentException.class, () -> builder.mtu(67));
        assertThrows(IllegalArgumentException.class, () -> builder.mtu(65_536));
        EmbeddedChannel ch = new EmbeddedChannel();
        channels.add(ch);
        builder.build().addTo(ch.pipeline());
        assertEquals(ResponderPipeline.Builder.DEFAULT_MTU,
                ResponderPipeline.fragmenter(ch.pipeline()).mtu());
        EmbeddedChannel jumbo = new EmbeddedChannel();
        channels.add(jumbo);
        builder.mtu(9000).build().addTo(jumbo.pipeline());
        assertEquals(9000, ResponderPipeline.fragmenter(jumbo.pipeline()).mtu());
    }

    // ---- IPv6 ----

    /**
     * An IPv6 packet, fd00:198:18::2 → ::1, of {@code length} bytes: the extension headers given (each a whole
     * header whose first byte, its Next Header, is filled in here), then an ICMPv6 echo reply.
     */
    private static byte[] ipv6(int length, int[] types, byte[]... headers) {
        byte[] p = new byte[length];
        p[0] = 0x60;
        put16(p, 4, length - 40);
        p[7] = 64;
        Fragments.putLong(p, 8, V6_HOST_HIGH);
        Fragments.putLong(p, 16, V6_PEER_LOW);
        Fragments.putLong(p, 24, V6_HOST_HIGH);
        Fragments.putLong(p, 32, V6_HOST_LOW);
        int field = 6;
        int at = 40;
        for (int i = 0; i < headers.length; i++) {
            p[field] = (byte) types[i];
            System.arraycopy(headers[i], 0, p, at, headers[i].length);
            field = at;
            at += headers[i].length;
        }
        p[field] = 58;
        p[at] = (byte) 129;
        for (int i = at + 8; i < length; i++) {
            p[i] = (byte) (i * 31 + (i >> 8));
        }
        put16(p, at + 2, icmpv6Checksum(p, at));
        return p;
    }

    private static byte[] extension(int length) {
        byte[] h = new byte[length];
        h[1] = (byte) (length / 8 - 1);
        h[2] = 1; // PadN over the rest
        h[3] = (byte) (length - 4);
        return h;
    }

    private static byte[] routing() {
        byte[] h = new byte[24]; // type 0-like routing header with one address, segments left 0
        h[1] = 2;
        return h;
    }

    @ParameterizedTest
    @CsvSource({"1500,1501", "1500,1504", "1500,2944", "1500,8048", "1500,65575", "1280,1281", "1280,20000"})
    void ipv6FragmentsReassembleToTheOriginal(int mtu, int length) {
        byte[] original = ipv6(length, new int[0]);
        List<byte[]> fragments = cut(fragmenter(mtu), original);
        checkIpv6Fragments(original, fragments, mtu, 40);
    }

    @Test
    void ipv6KeepsHopByHopAndRoutingHeadersInEveryFragment() {
        // hop-by-hop, destination options (before routing: unfragmentable), routing, destination options
        // (after routing: fragmentable)
        byte[] original = ipv6(6000, new int[] {0, 60, 43, 60}, extension(8), extension(16), routing(),
                extension(8));
        List<byte[]> fragments = cut(fragmenter(1500), original);
        checkIpv6Fragments(original, fragments, 1500, 40 + 8 + 16 + 24);
        byte[] first = fragments.get(0);
        assertEquals(44, first[40 + 8 + 16] & 0xFF, "the routing header names the fragment header");
        assertEquals(60, first[88] & 0xFF, "the fragment header names the destination options after routing");
    }

    @Test
    void ipv6FragmentsAfterADestinationOptionsHeaderAlone() {
        byte[] original = ipv6(3000, new int[] {60}, extension(8));
        List<byte[]> fragments = cut(fragmenter(1500), original);
        checkIpv6Fragments(original, fragments, 1500, 40);
        assertEquals(44, fragments.get(0)[6]);
        assertEquals(60, fragments.get(0)[40], "destination options alone are fragmentable");
    }

    @Test
    void aPacketWithAFragmentHeaderAlreadyIsWrittenAsItIs() {
        EmbeddedChannel ch = fragmenter(1280);
        byte[] fragment = Fragments.ipv6Fragment(V6_PEER_LOW, 1, 0, true, new byte[1448]);
        ByteBuf b = Fragments.buf(fragment);
        written.add(b);
        ch.writeOutbound(b);
        ByteBuf out = ch.readOutbound();
        assertSame(b, out);
        out.release();
    }

    private void checkIpv6Fragments(byte[] original, List<byte[]> fragments, int mtu, int unfragmentable) {
        int per = (mtu - unfragmentable - 8) / 8 * 8;
        int data = original.length - unfragmentable;
        assertEquals((data + per - 1) / per, fragments.size());
        int id = Fragments.ipv6Identification(fragments.get(0));
        int offset = 0;
        for (int i = 0; i < fragments.size(); i++) {
            byte[] f = fragments.get(i);
            boolean last = i == fragments.size() - 1;
            assertTrue(f.length <= mtu);
            assertEquals(f.length - 40, get16(f, 4), "payload length");
            assertEquals(unfragmentable, Fragments.ipv6FragmentHeader(f), "the fragment header after the "
                    + "unfragmentable part");
            assertArrayEquals(range(original, 0, 4), range(f, 0, 4), "version, class, flow label");
            assertArrayEquals(range(original, 7, 40), range(f, 7, 40), "hop limit and addresses");
            assertEquals(id, Fragments.ipv6Identification(f));
            assertEquals(offset, Fragments.ipv6Offset(f));
            assertEquals(!last, Fragments.ipv6More(f));
            assertEquals(0, f[unfragmentable + 1], "reserved");
            assertEquals(last ? data - offset : per, f.length - unfragmentable - 8);
            assertArrayEquals(range(original, unfragmentable + offset, unfragmentable + offset + f.length
                    - unfragmentable - 8), range(f, unfragmentable + 8, f.length));
            offset += f.length - unfragmentable - 8;
        }
        assertArrayEquals(original, Fragments.reassembleIpv6(fragments), "byte by byte");
        assertArrayEquals(original, reassemble(fragments), "by the Reassembler");
    }
}
