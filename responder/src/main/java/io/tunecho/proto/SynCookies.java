package io.tunecho.proto;

import io.tunecho.hosts.Clock;
import io.tunecho.packet.PacketContext;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;
import io.tunecho.wire.TcpSegment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * SYN cookies: the initial sequence number of a virtual host's SYN-ACK carries everything needed to recognise the
 * client's later segments, so that open ports keep no state per connection, however many SYNs arrive. The ISN is
 * <pre>
 *   bits 31..27  the time slot (2^36 ns, about 69 s) when the SYN came, modulo 32
 *   bits 26..0   SipHash-2-4(key; client address, host address, client port, host port, time slot), low 27 bits
 * </pre>
 * A segment that acknowledges {@code ISN + n} is checked by recomputing the hash for the slot its ISN names: a cookie
 * is valid for the rest of its slot and the whole next one (69 to 137 s; Linux's, with 60 s slots, for one to two
 * minutes), then expires. The client's own ISN is deliberately not part of the hash (Linux's cookies include it):
 * tunecho checks every later segment of a connection against the cookie, not only the handshake's ACK, and by then
 * the client's sequence number has moved. Guessing a cookie takes about 2^26 tries per 4-tuple (27 bits, and two
 * acknowledgment numbers count: ISN+1 and ISN+2), and a right guess earns a FIN, nothing more.
 *
 * <p>One instance per channel (the hash state is reused); the {@link Key} is shared by all channels, so that a
 * connection checks out on any queue.
 */
public final class SynCookies {
    /** The length of a time slot: 2^36 ns, about 68.7 s. A power of two, so that a slot is a shift away. */
    static final int SLOT_SHIFT = 36;
    static final long SLOT_NANOS = 1L << SLOT_SHIFT;
    /** How many slots after its own a cookie stays valid. */
    static final int MAX_AGE_SLOTS = 1;
    private static final int MAC_BITS = 27;
    private static final int MAC_MASK = (1 << MAC_BITS) - 1;
    private static final int SLOT_MASK = (1 << (32 - MAC_BITS)) - 1;

    /** The secret the cookies are keyed with: 128 bits, one per pipeline. */
    public record Key(long k0, long k1) {
        /** A key from the kernel's random source ({@code /dev/urandom}; a {@link SecureRandom} where there is none). */
        public static Key random() {
            byte[] bytes = new byte[16];
            try (InputStream in = Files.newInputStream(Path.of("/dev/urandom"))) {
                if (in.readNBytes(bytes, 0, bytes.length) != bytes.length) {
                    throw new IOException("short read");
                }
            } catch (IOException | SecurityException e) {
                new SecureRandom().nextBytes(bytes);
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return new Key(b.getLong(), b.getLong());
        }

        @Override
        public String toString() {
            return "Key[secret]";
        }
    }

    private final SipHash hash;
    private final Clock clock;

    public SynCookies(Key key, Clock clock) {
        this.hash = new SipHash(key.k0(), key.k1());
        this.clock = clock;
    }

    /** The ISN of the SYN-ACK that answers the SYN now in {@code packet}. */
    int cookie(PacketContext packet, TcpSegment syn) {
        return cookie(packet, syn, slot());
    }

    /**
     * Whether {@code value} is a cookie that this host sent, still valid, to the client of the segment now in
     * {@code packet} (the same addresses and ports, seen from the client's side).
     */
    boolean isValid(int value, PacketContext packet, TcpSegment segment) {
        long now = slot();
        int age = (int) (now - (value >>> MAC_BITS)) & SLOT_MASK;
        return age <= MAX_AGE_SLOTS && value == cookie(packet, segment, now - age);
    }

    private long slot() {
        return clock.nanoTime() >> SLOT_SHIFT;
    }

    private int cookie(PacketContext packet, TcpSegment tcp, long slot) {
        SipHash h = hash.start();
        if (packet.ip().version() == Ipv4Packet.VERSION) {
            Ipv4Packet ip = packet.ipv4();
            h.add((long) ip.source() << 32 | ip.destination() & 0xFFFFFFFFL);
        } else {
            Ipv6Packet ip = packet.ipv6();
            h.add(ip.sourceHigh()).add(ip.sourceLow()).add(ip.destinationHigh()).add(ip.destinationLow());
        }
        long ports = (long) tcp.sourcePort() << 16 | tcp.destinationPort();
        int mac = (int) h.add(ports).add(slot).finish() & MAC_MASK;
        return (int) (slot & SLOT_MASK) << MAC_BITS | mac;
    }
}
