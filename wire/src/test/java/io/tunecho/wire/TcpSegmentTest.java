package io.tunecho.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TCP view on SYNs that Linux's {@code nc -z} and {@code nmap -sS} sent into a TUN. */
class TcpSegmentTest {
    /**
     * {@code nc -z 198.18.0.2 22} (netcat-openbsd 1.219, Linux 6.18): 198.18.0.1:41114 → 198.18.0.2:22, SYN, seq
     * 0x56636502, window 64240, options MSS 1460, SACK permitted, timestamps, NOP, window scale 10.
     */
    static final String NC_SYN = "4500003cee0f40004006c084c6120001c6120002a09a00165663650200000000a002faf0a957"
            + "0000020405b40402080ac5d0f5a5000000000103030a";
    /** {@code nmap -sS -p 22} (7.93): source port 54347, TTL 53, no DF, window 1024, only an MSS option. */
    static final String NMAP_SYN = "4500002c5f25000035069a7fc6120001c6120002d44b0016b716ec9d00000000600204008fe8"
            + "0000020405b4";
    /** {@code nc -z fd00:198:18::2 22}: an IPv6 SYN, MSS 1440, flow label 0x88652. */
    static final String NC_SYN_V6 = "6008865200280640fd000198001800000000000000000001fd0001980018000000000000000000"
            + "02b7cc0016f88ebbdb00000000a002fd20f8ed0000020405a00402080afd6ceae3000000000103030a";

    private ByteBuf buf;

    private TcpSegment v4(String hex) {
        buf = Unpooled.directBuffer().writeBytes(ByteBufUtil.decodeHexDump(hex));
        Ipv4Packet ip = new Ipv4Packet().wrap(buf);
        assertNull(ip.check());
        return new TcpSegment().wrapPayloadOf(ip);
    }

    private TcpSegment v6(String hex) {
        buf = Unpooled.directBuffer().writeBytes(ByteBufUtil.decodeHexDump(hex));
        Ipv6Packet ip = new Ipv6Packet().wrap(buf);
        assertNull(ip.check());
        return new TcpSegment().wrapPayloadOf(ip);
    }

    @AfterEach
    void release() {
        buf.release();
    }

    @Test
    void readsEveryFieldOfNetcatsSyn() {
        TcpSegment tcp = v4(NC_SYN);
        assertTrue(tcp.hasHeader());
        assertEquals(20, tcp.offset());
        assertEquals(40, tcp.length());
        assertEquals(41114, tcp.sourcePort());
        assertEquals(22, tcp.destinationPort());
        assertEquals(0x56636502, tcp.sequenceNumber());
        assertEquals(0, tcp.acknowledgmentNumber());
        assertEquals(40, tcp.headerLength());
        assertEquals(TcpSegment.SYN, tcp.flags());
        assertTrue(tcp.has(TcpSegment.SYN));
        assertFalse(tcp.has(TcpSegment.SYN | TcpSegment.ACK));
        assertEquals(64240, tcp.window());
        assertEquals(0xa957, tcp.checksum());
        assertEquals(0, tcp.urgentPointer());
        assertEquals(0, tcp.dataLength());
        assertEquals(1, tcp.segmentLength(), "a SYN takes one sequence number");
        assertEquals(1460, tcp.maximumSegmentSize());
        assertTrue(tcp.isChecksumValid(), "the checksum covers the IPv4 pseudo-header");
    }

    @Test
    void readsNmapsSyn() {
        TcpSegment tcp = v4(NMAP_SYN);
        assertTrue(tcp.hasHeader());
        assertEquals(54347, tcp.sourcePort());
        assertEquals(24, tcp.headerLength());
        assertEquals(1024, tcp.window());
        assertEquals(1460, tcp.maximumSegmentSize());
        assertTrue(tcp.isChecksumValid());
    }

    @Test
    void readsAnIpv6Syn() {
        TcpSegment tcp = v6(NC_SYN_V6);
        assertEquals(40, tcp.offset());
        assertEquals(40, tcp.length());
        assertEquals(0xb7cc, tcp.sourcePort());
        assertEquals(22, tcp.destinationPort());
        assertEquals(0xf88ebbdb, tcp.sequenceNumber());
        assertEquals(1440, tcp.maximumSegmentSize());
        assertTrue(tcp.isChecksumValid(), "the checksum covers the IPv6 pseudo-header");
    }

    @Test
    void aChangedByteBreaksTheChecksum() {
        TcpSegment tcp = v4(NC_SYN);
        buf.setByte(tcp.offset() + TcpSegment.Field.WINDOW, 0x12);
        assertFalse(tcp.isChecksumValid());
        tcp.fillChecksum();
        assertTrue(tcp.isChecksumValid());
        assertEquals(0, checksum(buf, 20, 40, 0xC6120001, 0xC6120002), "an independent computation agrees");
    }

    @Test
    void aChangedAddressBreaksTheChecksumOfIpv6() {
        TcpSegment tcp = v6(NC_SYN_V6);
        buf.setByte(39, 3); // the destination's last byte: the pseudo-header changes
        assertFalse(tcp.isChecksumValid());
    }

    @Test
    void writesEveryField() {
        TcpSegment tcp = v4(NMAP_SYN);
        tcp.swapPorts();
        assertEquals(22, tcp.sourcePort());
        assertEquals(54347, tcp.destinationPort());
        tcp.setSourcePort(80);
        tcp.setDestinationPort(1234);
        tcp.setSequenceNumber(0xFFFFFFFE);
        tcp.setAcknowledgmentNumber(0x80000001);
        tcp.setFlags(TcpSegment.SYN | TcpSegment.ACK);
        tcp.setWindow(64240);
        tcp.setUrgentPointer(7);
        tcp.setHeaderLength(24);
        tcp.setMaximumSegmentSizeOption(1400);
        assertEquals(80, tcp.sourcePort());
        assertEquals(1234, tcp.destinationPort());
        assertEquals(0xFFFFFFFE, tcp.sequenceNumber());
        assertEquals(0x80000001, tcp.acknowledgmentNumber());
        assertEquals(0x12, tcp.flags());
        assertEquals(64240, tcp.window());
        assertEquals(7, tcp.urgentPointer());
        assertEquals(1400, tcp.maximumSegmentSize());
        assertEquals(0x60, buf.getUnsignedByte(20 + 12), "data offset 6, reserved bits clear");
        assertEquals("005004d2fffffffe800000016012faf0", ByteBufUtil.hexDump(buf, 20, 16), "network byte order");
    }

    @Test
    void refusesHeadersThatDoNotFit() {
        TcpSegment tcp = v4(NMAP_SYN);
        buf.setByte(20 + 12, 0x40); // data offset 4: shorter than the fixed header
        assertFalse(tcp.hasHeader());
        buf.setByte(20 + 12, 0x70); // 28 bytes: longer than the 24 there are
        assertFalse(tcp.hasHeader());
        buf.setByte(20 + 12, 0x60);
        assertTrue(tcp.hasHeader());
        Ipv4Packet ip = new Ipv4Packet().wrap(buf);
        ip.setTotalLength(39); // 19 bytes of TCP
        assertFalse(new TcpSegment().wrapPayloadOf(ip).hasHeader());
    }

    @Test
    void walksOptionsAsLinuxDoes() {
        TcpSegment tcp = v4(NC_SYN);
        int opts = 20 + 20;
        // NOPs before the MSS option are skipped.
        buf.setBytes(opts, ByteBufUtil.decodeHexDump("01010204057801010101"));
        assertEquals(0x0578, tcp.maximumSegmentSize());
        // End of list before it: no MSS.
        buf.setBytes(opts, ByteBufUtil.decodeHexDump("0002040578"));
        assertEquals(-1, tcp.maximumSegmentSize());
        // Another option first, then MSS.
        buf.setBytes(opts, ByteBufUtil.decodeHexDump("03030a0204051001"));
        assertEquals(0x0510, tcp.maximumSegmentSize());
        // A length below 2 ends the walk.
        buf.setBytes(opts, ByteBufUtil.decodeHexDump("0801020405b4"));
        assertEquals(-1, tcp.maximumSegmentSize());
        // A length that runs past the header ends it.
        buf.setBytes(opts, ByteBufUtil.decodeHexDump("01010101010101010101010101010101010102ff"));
        assertEquals(-1, tcp.maximumSegmentSize());
        // An MSS option of the wrong length is skipped.
        buf.setBytes(opts, ByteBufUtil.decodeHexDump("0203050204022201"));
        assertEquals(0x0222, tcp.maximumSegmentSize());
        // No options at all.
        buf.setByte(20 + 12, 0x50);
        assertEquals(-1, tcp.maximumSegmentSize());
    }

    @Test
    void segmentLengthCountsDataSynAndFin() {
        TcpSegment tcp = v4(NC_SYN);
        buf.setByte(20 + 12, 0x50); // no options: the 20 bytes that were options are data now
        assertEquals(20, tcp.dataLength());
        assertEquals(21, tcp.segmentLength());
        tcp.setFlags(TcpSegment.FIN | TcpSegment.ACK);
        assertEquals(21, tcp.segmentLength());
        tcp.setFlags(TcpSegment.SYN | TcpSegment.FIN);
        assertEquals(22, tcp.segmentLength());
        tcp.setFlags(TcpSegment.ACK | TcpSegment.PSH);
        assertEquals(20, tcp.segmentLength());
    }

    /** RFC 1071 over an IPv4 pseudo-header and a segment, byte by byte: 0 when the checksum in it is right. */
    private static int checksum(ByteBuf b, int off, int len, int src, int dst) {
        long sum = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 6 + len;
        for (int i = 0; i < len; i += 2) {
            int hi = b.getUnsignedByte(off + i);
            int lo = i + 1 < len ? b.getUnsignedByte(off + i + 1) : 0;
            sum += hi << 8 | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
