package io.tunecho.ip;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tunecho.hosts.AddressStates;
import io.tunecho.hosts.Clock;
import io.tunecho.packet.DeadlineTimer;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.PacketHandler;
import io.tunecho.packet.PacketLog;
import io.tunecho.wire.IcmpErrors;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6ExtensionHeaders;
import io.tunecho.wire.Ipv6FragmentHeader;
import io.tunecho.wire.Ipv6Packet;
import org.slf4j.Logger;

import java.util.ArrayDeque;

/**
 * Reassembles fragmented datagrams, IPv4 (RFC 791, RFC 815) and IPv6 (RFC 8200 4.5), so that the stages after it see
 * whole datagrams: a completed datagram goes on as one buffer, with its headers as a whole datagram has them (IPv4:
 * no MF flag, offset 0, its total length and header checksum; IPv6: without the fragment header), and the
 * {@link PacketContext}'s view on it. Everything else passes at the cost of one look at the header. What it refuses,
 * how it bounds its memory ({@link ReassemblyLimits}) and how a datagram times out follow Linux, each described where
 * it is done. Its ICMP errors (time exceeded in reassembly, IPv6 parameter problem) are written with
 * {@link PacketContext#writeIpError}, and counted where they leave (the reply stage, in the server's pipeline).
 *
 * <p>Buffers: a fragment is held here until its datagram completes (then the fragments are copied into one buffer
 * of the datagram's size, which goes on, and released), is dropped, or the channel closes. Datagrams and their
 * queues are reused, so that a flood of fragments allocates nothing per fragment.
 */
public final class Reassembler extends PacketHandler {
    private static final Logger log = PacketLog.of(Reassembler.class);
    /** The largest datagram: an IPv4 total length, an IPv6 payload length (without jumbograms), both 16 bits. */
    private static final int MAX_LENGTH = Ipv4Packet.MAX_TOTAL_LENGTH;

    private final ReassemblyLimits limits;
    private final long ipv4TimeoutNanos;
    private final long ipv6TimeoutNanos;
    private final HostsBehind hosts;
    private final Clock clock;
    private final DatagramTable datagrams;
    /** Queues of datagrams that completed or went, for the next ones: a flood of fragments allocates nothing. */
    private final ArrayDeque<FragmentQueue> spare = new ArrayDeque<>();
    private final FragmentKey probe = new FragmentKey();
    private final Chain ipv4Chain = new Chain();
    private final Chain ipv6Chain = new Chain();
    private final Ipv6FragmentHeader fragmentHeader = new Ipv6FragmentHeader();
    private final Ipv4Packet quotedIpv4 = new Ipv4Packet();
    private final Ipv6Packet quotedIpv6 = new Ipv6Packet();
    private final IcmpMessage quotedIcmp = new IcmpMessage();
    /** Wakes for the earliest time-out of the datagrams in reassembly. */
    private final DeadlineTimer timer;
    private final IcmpErrorLimit errorLimit;
    private long heldBytes;
    private int errorId;
    private ChannelHandlerContext ctx;

    /**
     * @param hosts  asked whether a host that is up answers a datagram's destination, before a time-out or a
     *               refused fragment is answered with an ICMP error
     * @param clock  where time-outs are read (the system's in the server)
     * @param limits the caps and time-outs
     */
    public Reassembler(PacketCounters counters, PacketContext packet, HostsBehind hosts, Clock clock,
            ReassemblyLimits limits) {
        this(counters, packet, hosts, clock, limits, new IcmpErrorLimit(clock));
    }

    /** @param errorLimit the channel's ICMP error limit, which this stage's errors count against too */
    public Reassembler(PacketCounters counters, PacketContext packet, HostsBehind hosts, Clock clock,
            ReassemblyLimits limits, IcmpErrorLimit errorLimit) {
        super(counters, packet);
        this.errorLimit = errorLimit;
        this.hosts = hosts;
        this.clock = clock;
        this.limits = limits;
        this.ipv4TimeoutNanos = limits.ipv4Timeout().toNanos();
        this.ipv6TimeoutNanos = limits.ipv6Timeout().toNanos();
        this.datagrams = new DatagramTable(limits.maxDatagrams());
        this.timer = new DeadlineTimer(clock, this::expireDue);
        this.errorId = (int) (clock.nanoTime() * 0x9E3779B97F4A7C15L >>> 48);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    /**
     * A fragment joins its datagram. IPv6 packets arrive here validated ({@link Ipv6Packet#check()}), as IPv4 ones
     * do; an IPv6 atomic fragment (offset 0, no more fragments, RFC 6946) is a whole packet and passes.
     *
     * <p>What is refused, each counted under its {@link DropReason}, as Linux refuses it: a fragment without data, or
     * one before the last whose data is not a multiple of 8 bytes; a fragment that would make a datagram longer than
     * 65,535 bytes (IPv4: the whole datagram goes; IPv6: the fragment, answered with ICMPv6 parameter problem as RFC
     * 8200 says); a duplicate (dropped, harmless); a fragment that overlaps part of what arrived, or disagrees on the
     * datagram's end (the whole datagram goes: RFC 5722 for IPv6, and Linux does the same for IPv4).
     */
    @Override
    protected void packetRead(ChannelHandlerContext ctx, ByteBuf buf) {
        if (!packet.isIpv6()) {
            if (packet.ipv4().isFragment()) {
                ipv4Fragment(ctx, buf);
                return;
            }
        } else if (packet.ipv6().isFragment() && !fragmentHeader.wrapIn(packet.ipv6()).isAtomic()) {
            ipv6Fragment(ctx, buf);
            return;
        }
        pass(ctx, buf);
    }

    private void ipv4Fragment(ChannelHandlerContext ctx, ByteBuf buf) {
        Ipv4Packet ip = packet.ipv4();
        int headerLength = ip.headerLength();
        int start = ip.fragmentOffset();
        int dataLength = ip.totalLength() - headerLength;
        int end = start + dataLength;
        boolean last = !ip.moreFragments();
        if (dataLength == 0 || !last && (dataLength & 7) != 0) {
            drop(DropReason.FRAGMENT_BAD_LENGTH, buf);
            return;
        }
        FragmentKey key = probe.ipv4(ip.source(), ip.destination(), ip.protocol(), ip.identification());
        if (headerLength + end > MAX_LENGTH) {
            FragmentQueue q = datagrams.get(key);
            if (q != null) {
                discard(q, DropReason.FRAGMENT_OVERSIZED);
            }
            drop(DropReason.FRAGMENT_OVERSIZED, buf);
            return;
        }
        FragmentQueue q = add(key, buf, ip.upperLayerOffset(), start, end, last);
        if (q == null) {
            return;
        }
        if (start == 0) {
            q.first(ip.offset(), headerLength, -1, -1);
        }
        if (q.isComplete()) {
            if (q.headerLength() + q.dataLength() > MAX_LENGTH) {
                discard(q, DropReason.FRAGMENT_OVERSIZED); // a first fragment with a longer header came late
                return;
            }
            remove(q);
            ByteBuf datagram = assemble(q);
            packet.replace(datagram);
            Ipv4Packet whole = packet.ipv4();
            whole.setTotalLength(datagram.readableBytes());
            whole.setFlagsAndFragmentOffset(0);
            whole.fillChecksum();
            pass(ctx, datagram);
        }
    }

    private void ipv6Fragment(ChannelHandlerContext ctx, ByteBuf buf) {
        Ipv6Packet ip = packet.ipv6();
        Ipv6FragmentHeader fh = fragmentHeader;
        int dataIndex = fh.offset() + Ipv6FragmentHeader.LENGTH;
        int unfragmentable = fh.offset() - ip.offset();
        int start = fh.fragmentOffset();
        int dataLength = ip.offset() + Ipv6Packet.HEADER_LENGTH + ip.payloadLength() - dataIndex;
        int end = start + dataLength;
        boolean last = !fh.moreFragments();
        if (dataLength == 0 || !last && (dataLength & 7) != 0) {
            // RFC 8200 4.5: a parameter problem pointing at the payload length
            answerWithParameterProblem(ip, Ipv6Packet.Field.PAYLOAD_LENGTH, DropReason.FRAGMENT_BAD_LENGTH, buf);
            return;
        }
        if (unfragmentable - Ipv6Packet.HEADER_LENGTH + end > MAX_LENGTH) {
            // RFC 8200 4.5: a parameter problem pointing at the fragment offset; the datagram's other fragments stay
            answerWithParameterProblem(ip, fh.offset() + Ipv6FragmentHeader.Field.OFFSET_FLAGS - ip.offset(),
                    DropReason.FRAGMENT_OVERSIZED, buf);
            return;
        }
        FragmentKey key = probe.ipv6(ip.sourceHigh(), ip.sourceLow(), ip.destinationHigh(), ip.destinationLow(),
                fh.identification());
        int fragmentNextHeader = fh.nextHeader();
        int fragmentHeaderOffset = fh.offset();
        FragmentQueue q = add(key, buf, dataIndex, start, end, last);
        if (q == null) {
            return;
        }
        if (start == 0) {
            q.first(ip.offset(), unfragmentable,
                    Ipv6ExtensionHeaders.nextHeaderFieldOf(ip, fragmentHeaderOffset) - ip.offset(),
                    fragmentNextHeader);
        }
        if (q.isComplete()) {
            if (q.headerLength() - Ipv6Packet.HEADER_LENGTH + q.dataLength() > MAX_LENGTH) {
                discard(q, DropReason.FRAGMENT_OVERSIZED);
                return;
            }
            remove(q);
            ByteBuf datagram = assemble(q);
            packet.replace(datagram);
            Ipv6Packet whole = packet.ipv6();
            whole.setPayloadLength(datagram.readableBytes() - Ipv6Packet.HEADER_LENGTH);
            if (whole.check() != null) {
                drop(DropReason.BAD_EXTENSION_HEADER, datagram);
                return;
            }
            pass(ctx, datagram);
        }
    }

    /**
     * Adds a fragment to its datagram (made if new, within the caps), or drops it.
     *
     * @return the datagram, or {@code null} when the fragment was dropped
     */
    private FragmentQueue add(FragmentKey key, ByteBuf buf, int dataIndex, int start, int end, boolean last) {
        FragmentQueue q = datagrams.get(key);
        int size = buf.capacity();
        if (q == null) {
            if (!makeRoom(null, 1, size)) {
                drop(DropReason.REASSEMBLY_CAP, buf);
                return null;
            }
            long now = clock.nanoTime();
            boolean v4 = key.version() == 4;
            q = spare.isEmpty() ? new FragmentQueue() : spare.pop();
            q.reset(key, now, now + (v4 ? ipv4TimeoutNanos : ipv6TimeoutNanos));
            datagrams.put(q);
            (v4 ? ipv4Chain : ipv6Chain).add(q);
            timer.wakeBy(ctx.executor(), q.deadlineNanos);
        } else if (!makeRoom(q, 0, size)) {
            discard(q, DropReason.REASSEMBLY_CAP);
            drop(DropReason.REASSEMBLY_CAP, buf);
            return null;
        }
        switch (q.add(buf, dataIndex, start, end, last)) {
            case ADDED:
                heldBytes += size;
                return q;
            case DUPLICATE:
                drop(DropReason.FRAGMENT_DUPLICATE, buf);
                return null;
            case OVERLAP:
                discard(q, DropReason.FRAGMENT_OVERLAP);
                drop(DropReason.FRAGMENT_OVERLAP, buf);
                return null;
            default:
                discard(q, DropReason.FRAGMENT_INCONSISTENT);
                drop(DropReason.FRAGMENT_INCONSISTENT, buf);
                return null;
        }
    }

    /**
     * Drops the oldest datagrams other than {@code keep} until {@code newDatagrams} more datagrams and {@code bytes}
     * more bytes fit the caps (datagrams in reassembly, and bytes their fragments hold: buffer capacities); returns
     * whether they do. Making room by dropping the oldest is what Linux's evictor did before 4.17; since then Linux
     * drops every fragment until time-outs free memory, which lets a flood of fragments that never complete stop all
     * reassembly for 30 s. A datagram that cannot fit alone is dropped.
     */
    private boolean makeRoom(FragmentQueue keep, int newDatagrams, int bytes) {
        while (datagrams.size() + newDatagrams > limits.maxDatagrams() || heldBytes + bytes > limits.maxBytes()) {
            FragmentQueue oldest = oldest(keep);
            if (oldest == null) {
                return false;
            }
            discard(oldest, DropReason.REASSEMBLY_CAP);
        }
        return true;
    }

    private FragmentQueue oldest(FragmentQueue except) {
        FragmentQueue a = except != null && ipv4Chain.oldest == except ? except.newer : ipv4Chain.oldest;
        FragmentQueue b = except != null && ipv6Chain.oldest == except ? except.newer : ipv6Chain.oldest;
        if (a == null) {
            return b;
        }
        return b == null || a.createdNanos - b.createdNanos <= 0 ? a : b;
    }

    /** Forgets a datagram and drops its fragments, each counted under {@code reason}. */
    private void discard(FragmentQueue q, DropReason reason) {
        boolean held = remove(q);
        int n = q.releaseAll();
        for (int i = 0; i < n; i++) {
            counters().drop(reason);
        }
        if (log.isDebugEnabled()) {
            log.debug("dropped ({}): {} fragments of {}", reason.metricName(), n, q.key);
        }
        if (held) {
            spare.push(q);
        }
    }

    /** The datagram of a complete queue, which is forgotten and kept for reuse. */
    private ByteBuf assemble(FragmentQueue q) {
        try {
            return q.assemble(ctx.alloc());
        } finally {
            spare.push(q);
        }
    }

    /** Forgets a datagram (its fragments are the caller's to release); returns whether it was held. */
    private boolean remove(FragmentQueue q) {
        if (!datagrams.remove(q)) {
            return false;
        }
        (q.key.version() == 4 ? ipv4Chain : ipv6Chain).remove(q);
        heldBytes -= q.bytes();
        return true;
    }

    /**
     * The timer: drops every datagram whose time is up, answers for those it should, and waits for the next. A
     * datagram times out when it does not complete within its time-out (IPv4 30 s, IPv6 60 s by default, from its
     * first fragment's arrival); when its first fragment had come, its destination answers with ICMP time exceeded,
     * code 1 "fragment reassembly time exceeded", quoting that fragment, as Linux does ({@code ip_expire},
     * {@code ip6_expire_frag_queue}), provided the destination is an answered host that is up and the datagram is not
     * itself an ICMP error.
     */
    private void expireDue() {
        long now = clock.nanoTime();
        boolean wrote = false;
        while (ipv4Chain.oldest != null && ipv4Chain.oldest.deadlineNanos - now <= 0) {
            wrote |= expire(ipv4Chain.oldest, now);
        }
        while (ipv6Chain.oldest != null && ipv6Chain.oldest.deadlineNanos - now <= 0) {
            wrote |= expire(ipv6Chain.oldest, now);
        }
        if (wrote) {
            ctx.flush();
        }
        FragmentQueue next = earliestDeadline();
        if (next != null) {
            timer.wakeBy(ctx.executor(), next.deadlineNanos);
        }
    }

    private FragmentQueue earliestDeadline() {
        FragmentQueue a = ipv4Chain.oldest;
        FragmentQueue b = ipv6Chain.oldest;
        if (a == null) {
            return b;
        }
        return b == null || a.deadlineNanos - b.deadlineNanos <= 0 ? a : b;
    }

    /** Drops a datagram that timed out; returns whether an ICMP time exceeded was written. */
    private boolean expire(FragmentQueue q, long now) {
        ByteBuf error = null;
        if (q.hasFirst() && ctx.channel().isActive()) {
            error = q.key.version() == 4 ? ipv4TimeExceeded(q, now) : ipv6TimeExceeded(q, now);
        }
        discard(q, DropReason.REASSEMBLY_TIMEOUT);
        if (error == null) {
            return false;
        }
        packet.writeIpError(ctx, error);
        return true;
    }

    private ByteBuf ipv4TimeExceeded(FragmentQueue q, long now) {
        Ipv4Packet first = quotedIpv4.wrap(q.firstBuffer(), q.firstHeaderIndex());
        if (first.protocol() == IcmpMessage.PROTOCOL_V4 && quotedIcmp.wrapPayloadOf(first).isError()) {
            return null; // never an error about an error (RFC 1122 3.2.2)
        }
        int dst = first.destination();
        int ttl = hosts.ipv4ErrorTtl(dst, now);
        if (ttl < 0 || !errorLimit.allow(AddressStates.ipv4Key(dst), AddressStates.ipv4Key(first.source()))) {
            return null;
        }
        return IcmpErrors.ipv4(ctx.alloc(), first, dst, IcmpMessage.V4.TIME_EXCEEDED,
                IcmpErrors.CODE_REASSEMBLY_TIME_EXCEEDED, 0, ttl, errorId++ & 0xFFFF);
    }

    private ByteBuf ipv6TimeExceeded(FragmentQueue q, long now) {
        Ipv6Packet first = quotedIpv6.wrap(q.firstBuffer(), q.firstHeaderIndex());
        if (first.check() != null || isIcmpv6Error(first)) {
            return null;
        }
        int ttl = hosts.ipv6ErrorTtl(first.destinationHigh(), first.destinationLow(), now);
        if (ttl < 0 || !allowError(first)) {
            return null;
        }
        return IcmpErrors.ipv6(ctx.alloc(), first, first.destinationHigh(), first.destinationLow(),
                IcmpMessage.V6.TIME_EXCEEDED, IcmpErrors.CODE_REASSEMBLY_TIME_EXCEEDED, 0, ttl);
    }

    /**
     * A fragment refused (RFC 8200 4.5): answered with ICMPv6 parameter problem, code 0, when its host is up and the
     * error rate allows, which is then its one outcome (an {@code icmp_error} reply, like any packet answered with an
     * error); dropped and counted by {@code reason} otherwise. The fragment's buffer is released either way.
     */
    private void answerWithParameterProblem(Ipv6Packet ip, int pointer, DropReason reason, ByteBuf buf) {
        int ttl = isIcmpv6Error(ip) ? -1 : hosts.ipv6ErrorTtl(ip.destinationHigh(), ip.destinationLow(), clock.nanoTime());
        if (ttl < 0 || !allowError(ip)) {
            drop(reason, buf);
            return;
        }
        ByteBuf error = IcmpErrors.ipv6(ctx.alloc(), ip, ip.destinationHigh(), ip.destinationLow(),
                IcmpMessage.V6.PARAMETER_PROBLEM, IcmpErrors.CODE_V6_ERRONEOUS_HEADER_FIELD, pointer, ttl);
        buf.release(); // the error quotes a copy
        packet.writeIpError(ctx, error);
    }

    /** Whether the rate limit lets an ICMPv6 error about {@code ip} go out, from its destination to its source. */
    private boolean allowError(Ipv6Packet ip) {
        return errorLimit.allow(AddressStates.ipv6Key(ip.destinationHigh(), ip.destinationLow()),
                AddressStates.ipv6Key(ip.sourceHigh(), ip.sourceLow()));
    }

    /** Whether a checked IPv6 packet (a first fragment or a whole one) carries an ICMPv6 error message. */
    private boolean isIcmpv6Error(Ipv6Packet ip) {
        return ip.upperLayerProtocol() == IcmpMessage.PROTOCOL_V6 && ip.fragmentOffset() == 0
                && ip.upperLayerLength() > 0 && quotedIcmp.wrapPayloadOf(ip).isError();
    }


    /** How many datagrams this channel has in reassembly now. */
    public int datagrams() {
        return datagrams.size();
    }

    /** The bytes their fragments hold now (buffer capacities). */
    public long heldBytes() {
        return heldBytes;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        discardAll();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        discardAll();
        super.handlerRemoved(ctx);
    }

    /** Releases every fragment held and stops the timer (the channel closes: nothing is counted). */
    private void discardAll() {
        timer.cancel();
        datagrams.clear(FragmentQueue::releaseAll);
        ipv4Chain.oldest = ipv4Chain.newest = null;
        ipv6Chain.oldest = ipv6Chain.newest = null;
        heldBytes = 0;
    }

    /** The datagrams of one IP version in reassembly, oldest first: with one time-out, also by deadline. */
    private static final class Chain {
        FragmentQueue oldest;
        FragmentQueue newest;

        void add(FragmentQueue q) {
            q.older = newest;
            q.newer = null;
            if (newest == null) {
                oldest = q;
            } else {
                newest.newer = q;
            }
            newest = q;
        }

        void remove(FragmentQueue q) {
            if (q.older == null) {
                if (oldest == q) {
                    oldest = q.newer;
                }
            } else {
                q.older.newer = q.newer;
            }
            if (q.newer == null) {
                if (newest == q) {
                    newest = q.older;
                }
            } else {
                q.newer.older = q.older;
            }
            q.older = null;
            q.newer = null;
        }
    }
}
