package io.tunecho.policy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.tunecho.hosts.AddressStates;
import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.SlotTable;
import io.tunecho.ip.Fragmenter;
import io.tunecho.packet.DeadlineTimer;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.PacketLog;
import io.tunecho.packet.ReplyKind;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.InternetChecksum;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6Packet;
import org.slf4j.Logger;

import java.util.random.RandomGenerator;

/**
 * Sends replies the way their host's behaviour says: at once, or after a delay with jitter (or a replayed trace's
 * next value, {@link TraceReplay}); now and then more than once ({@code duplicate}), late ({@code late}: held longer,
 * and overtaken by the replies behind it) or with a payload byte altered ({@code corrupt}, with a checksum that still
 * holds, so that the prober sees the data differ rather than a loss); rewritten first when the host misbehaves
 * ({@link ReplyRewriter}: another source, identifier or sequence). An outbound stage: it sees every reply and ICMP
 * error the stages after it write, with the host entry and behaviour that {@link HostLookup} put into the
 * {@link PacketContext}, and counts each as it leaves (at the flush that sends it). What has no host (the IP layer's
 * own ICMP errors) leaves unshaped. The stages that share its {@link PacketContext} hand it their replies by a call
 * ({@link PacketContext.Output}), and everything leaves through the {@link Fragmenter} (larger than the MTU: in
 * fragments), which it calls too: a reply makes one trip through the pipeline, from here to the channel.
 *
 * <p>Delayed replies wait in a bounded queue ({@code max-delayed} per channel; what does not fit is dropped and
 * counted), each in a buffer of its own size, not the MTU's. A delay is a floor, as in netem: no reply leaves before
 * its time. One timer on the event loop wakes up for the earliest, set the {@linkplain #leadNanos() lead} it learns
 * before it so that it wakes on time, and the last few microseconds are spun (see {@link #lead}). Jitter never
 * reorders the replies to one prober from one host unless the host's {@code reorder} says so: a reply leaves no
 * earlier than the previous one of the same pair of addresses (remembered per channel in a fixed {@link SlotTable};
 * a pair that lost its slot to others starts afresh).
 *
 * <p>Buffers: a reply sent at once goes on as it is; a delayed one is copied into a buffer of its size and the
 * original released; every held buffer is released when the channel closes.
 */
public final class ReplyShaper extends ChannelOutboundHandlerAdapter implements PacketContext.Output {
    private static final Logger log = PacketLog.of(ReplyShaper.class);
    private static final ReplyKind[] KINDS = ReplyKind.values();
    /** Pairs of addresses whose last release time is remembered (a power of two), and the slots each may take. */
    private static final int FLOWS = 4096;
    private static final int FLOW_PROBES = 4;
    /** The most the timer is set before a reply's time, and so the longest the event loop spins in one wake-up. */
    static final long MAX_LEAD_NANOS = 500_000;
    /** How far one wake-up moves the lead towards the timer's median lateness. */
    static final long LEAD_STEP_NANOS = 1_000;

    private final PacketCounters counters;
    private final PacketContext packet;
    private final Clock clock;
    private final RandomGenerator random;
    private final int maxDelayed;
    /** What every reply goes through as it leaves: called directly, not as a handler of its own. */
    private final Fragmenter fragmenter;
    private final Ipv4Packet replyIp = new Ipv4Packet();
    private final Ipv6Packet replyIp6 = new Ipv6Packet();
    private final IcmpMessage replyIcmp = new IcmpMessage();
    private final SlotTable flows = new SlotTable(FLOWS, FLOW_PROBES);
    private long[] flowDeadlines;
    private final TraceReplay delays;
    private final ReplyRewriter rewriter = new ReplyRewriter();
    private DelayQueue queue;
    /** Set for the earliest reply's time less the lead. */
    private final DeadlineTimer timer;
    private ChannelHandlerContext ctx;
    /** What was sent since the last flush, by {@link ReplyKind}, and to which hosts: counted at the flush. */
    private final long[] sentKinds = new long[KINDS.length];
    private final HostCounters.Tally tally = new HostCounters.Tally();
    /**
     * How long before a reply's time the timer is set: the learnt median of how late the timer fires. A timer never
     * fires on time: the event loop's thread has to be woken and scheduled. So each wake-up compares the moment it
     * ran with the moment the timer was set for, and moves the lead by a small step towards the median of that
     * difference ({@link #learn}: a stochastic median, not a mean, so that a rare long stall does not pull it). Half
     * the wake-ups then come a little before the earliest reply's time, and the event loop spins the rest (never
     * more than {@value #MAX_LEAD_NANOS} ns); the other half come a little late. No reply leaves early.
     */
    private long lead;

    /**
     * @param maxDelayed the most replies held back at once
     * @param fragmenter what cuts the replies larger than the MTU as they leave
     */
    public ReplyShaper(PacketCounters counters, PacketContext packet, Clock clock, RandomGenerator random,
            int maxDelayed, Fragmenter fragmenter) {
        this.counters = counters;
        this.packet = packet;
        this.clock = clock;
        this.random = random;
        this.maxDelayed = maxDelayed;
        this.fragmenter = fragmenter;
        this.timer = new DeadlineTimer(clock, this::releaseDue);
        this.delays = new TraceReplay(random);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        packet.output(this); // the stages' replies come by a call, not a trip through the pipeline
    }

    /** A reply from the stages that share this stage's {@link PacketContext}: as if written to this handler. */
    @Override
    public void write(ByteBuf reply) {
        write(ctx, reply, ctx.voidPromise());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        Behaviour b = packet.behaviour();
        HostEntry host = packet.host();
        ReplyKind kind = packet.writing();
        long pathDelay = packet.pathDelayNanos();
        if (!(msg instanceof ByteBuf) || b == null || !b.shapesReplies() && pathDelay == 0) {
            sent(host, kind);
            fragmenter.write(ctx, msg, promise);
            return;
        }
        ByteBuf reply = (ByteBuf) msg;
        if (b.rewritesReplies()) {
            rewriter.rewrite(reply, b);
        }
        if (kind != ReplyKind.ICMP_ERROR && b.corrupt() > 0 && random.nextDouble() < b.corrupt()) {
            corruptEchoPayload(reply);
        }
        int copies = b.duplicate() > 0 && random.nextDouble() < b.duplicate() ? b.duplicateCount() : 1;
        long now = clock.nanoTime();
        long deadline = now + delays.delayNanos(b, kind, packet.hostKey()) + pathDelay;
        if (!b.reorder()) {
            deadline = notBefore(flowKey(reply), deadline);
        }
        if (!b.late().isNone() && random.nextDouble() < b.late().p()) {
            deadline += b.late().byNanos(); // after the flow's order is kept: the replies behind it overtake it
        }
        if (deadline - now <= 0) {
            if (queue != null && !queue.isEmpty() && queue.firstDeadline() - now <= 0) {
                sendDue(now); // what is due goes first: the timer may not have run yet
            }
            for (int i = 1; i < copies; i++) {
                sent(host, kind);
                fragmenter.write(ctx, reply.retainedDuplicate(), ctx.voidPromise());
            }
            sent(host, kind);
            fragmenter.write(ctx, reply, promise);
            return;
        }
        hold(ctx, reply, deadline, copies, host, kind);
        if (!promise.isVoid()) {
            promise.trySuccess(); // the reply is the shaper's now
        }
    }

    private void hold(ChannelHandlerContext ctx, ByteBuf reply, long deadline, int copies, HostEntry host,
            ReplyKind kind) {
        DelayQueue q = queue;
        if (q == null) {
            q = queue = new DelayQueue(maxDelayed);
        }
        if (q.size() + copies > q.capacity()) {
            counters.drop(DropReason.DELAY_QUEUE_FULL);
            if (host != null) {
                host.counters().drop(HostCounters.Drop.QUEUE_FULL);
            }
            if (log.isDebugEnabled()) {
                log.debug("dropped ({}): {}", DropReason.DELAY_QUEUE_FULL.metricName(), reply);
            }
            ReferenceCountUtil.release(reply);
            return;
        }
        int length = reply.readableBytes();
        ByteBuf held = ctx.alloc().directBuffer(length, length);
        held.writeBytes(reply, reply.readerIndex(), length);
        reply.release();
        q.add(deadline, held, host, kind);
        for (int i = 1; i < copies; i++) {
            q.add(deadline, held.retainedDuplicate(), host, kind);
        }
        timer.wakeBy(ctx.executor(), deadline - lead);
    }

    /**
     * The timer: learns how late it woke, sends what is due and spins for what falls due within the lead (flushing
     * before each spin), then sets the timer for the next reply, the lead before its time.
     */
    private void releaseDue() {
        DelayQueue q = queue;
        if (q == null || !ctx.channel().isActive()) {
            return;
        }
        long now = clock.nanoTime();
        learn(now - timer.deadline());
        long spinEnd = System.nanoTime() + MAX_LEAD_NANOS; // the spin's own bound, whatever the clock does
        while (true) {
            if (sendDue(now) > 0) {
                countSent();
                ctx.flush();
            }
            if (q.isEmpty() || q.firstDeadline() - now > lead) {
                break;
            }
            now = spinUntil(q.firstDeadline(), spinEnd);
            if (q.firstDeadline() - now > 0) {
                timer.wakeBy(ctx.executor(), q.firstDeadline()); // spun long enough: the timer takes it from here
                return;
            }
        }
        if (!q.isEmpty()) {
            timer.wakeBy(ctx.executor(), q.firstDeadline() - lead);
        }
    }

    /** Spins until {@code deadline} by the clock or {@code spinEnd} by the system's, whichever comes first. */
    private long spinUntil(long deadline, long spinEnd) {
        long now = clock.nanoTime();
        while (deadline - now > 0 && System.nanoTime() - spinEnd < 0) {
            Thread.onSpinWait();
            now = clock.nanoTime();
        }
        return now;
    }

    /** Writes (without flushing) every held reply whose time has come; returns how many it wrote. */
    private int sendDue(long now) {
        DelayQueue q = queue;
        int wrote = 0;
        while (!q.isEmpty() && q.firstDeadline() - now <= 0) {
            HostEntry host = q.firstHost();
            ReplyKind kind = q.firstKind();
            ByteBuf buf = q.poll();
            sent(host, kind);
            fragmenter.write(ctx, buf, ctx.voidPromise());
            wrote++;
        }
        return wrote;
    }

    /** Moves the lead one step towards the median of how late the timer fires. */
    private void learn(long late) {
        long l = lead;
        if (late > l) {
            l += LEAD_STEP_NANOS;
        } else if (late < l) {
            l -= LEAD_STEP_NANOS;
        }
        lead = Math.max(0, Math.min(MAX_LEAD_NANOS, l));
    }

    private void sent(HostEntry host, ReplyKind kind) {
        sentKinds[kind.ordinal()]++;
        if (kind != ReplyKind.ICMP_ERROR && host != null) {
            tally.replied(host.counters());
        }
    }

    /** Adds what was sent since the last flush to the counters: it leaves the channel now. */
    private void countSent() {
        long[] kinds = sentKinds;
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] > 0) {
                counters.count(KINDS[i], kinds[i]);
                kinds[i] = 0;
            }
        }
        tally.flush();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        countSent();
        ctx.flush();
    }

    /**
     * The latest release time of a pair of addresses, no earlier than before. A pair that lost its slot in the flow
     * table to others starts afresh.
     */
    private long notBefore(long key, long deadline) {
        int slot = flows.slot(key);
        long[] deadlines = flowDeadlines;
        if (deadlines == null) {
            deadlines = flowDeadlines = new long[FLOWS];
        }
        if (!flows.claimed() && deadlines[slot] - deadline > 0) {
            deadline = deadlines[slot];
        }
        deadlines[slot] = deadline;
        return deadline;
    }

    private long flowKey(ByteBuf reply) {
        int version = reply.getUnsignedByte(reply.readerIndex()) >> 4;
        if (version == Ipv4Packet.VERSION && reply.readableBytes() >= Ipv4Packet.MIN_HEADER_LENGTH) {
            Ipv4Packet ip = replyIp.wrap(reply);
            return AddressStates.pairKey(AddressStates.ipv4Key(ip.source()), AddressStates.ipv4Key(ip.destination()));
        }
        if (version == Ipv6Packet.VERSION && reply.readableBytes() >= Ipv6Packet.HEADER_LENGTH) {
            Ipv6Packet ip = replyIp6.wrap(reply);
            return AddressStates.pairKey(AddressStates.ipv6Key(ip.sourceHigh(), ip.sourceLow()),
                    AddressStates.ipv6Key(ip.destinationHigh(), ip.destinationLow()));
        }
        return 0;
    }

    /**
     * Alters one byte of an ICMP echo reply's data, past the timestamp that ping keeps in its first 16 bytes when
     * there is room, and updates the checksum to match, so that the reply arrives and its data differs.
     */
    private void corruptEchoPayload(ByteBuf reply) {
        IcmpMessage icmp;
        int echoReply;
        if ((reply.getUnsignedByte(reply.readerIndex()) >> 4) == Ipv6Packet.VERSION) {
            Ipv6Packet ip = replyIp6.wrap(reply);
            if (ip.check() != null || ip.upperLayerProtocol() != IcmpMessage.PROTOCOL_V6) {
                return;
            }
            icmp = replyIcmp.wrapPayloadOf(ip);
            echoReply = IcmpMessage.V6.ECHO_REPLY;
        } else {
            Ipv4Packet ip = replyIp.wrap(reply);
            if (ip.protocol() != IcmpMessage.PROTOCOL_V4) {
                return;
            }
            icmp = replyIcmp.wrapPayloadOf(ip);
            echoReply = IcmpMessage.V4.ECHO_REPLY;
        }
        int data = icmp.length() - IcmpMessage.HEADER_LENGTH;
        if (icmp.type() != echoReply || data <= 0) {
            return;
        }
        int skip = data > 16 ? 16 : 0;
        int at = icmp.offset() + IcmpMessage.HEADER_LENGTH + skip + random.nextInt(data - skip);
        int wordAt = icmp.offset() + ((at - icmp.offset()) & ~1);
        int oldWord = wordAt + 1 < icmp.offset() + icmp.length() ? reply.getUnsignedShort(wordAt)
                : reply.getUnsignedByte(wordAt) << 8;
        reply.setByte(at, reply.getUnsignedByte(at) ^ 0xFF);
        int newWord = wordAt + 1 < icmp.offset() + icmp.length() ? reply.getUnsignedShort(wordAt)
                : reply.getUnsignedByte(wordAt) << 8;
        icmp.setChecksum(InternetChecksum.update(icmp.checksum(), oldWord, newWord));
    }

    /** How long before a held reply's time the shaper now sets its timer (what it learnt of the timer's lateness). */
    public long leadNanos() {
        return lead;
    }

    /** What cuts the replies larger than the MTU as they leave. */
    public Fragmenter fragmenter() {
        return fragmenter;
    }

    /** How many replies this channel holds back now. */
    public int held() {
        return queue == null ? 0 : queue.size();
    }

    /** The bytes of the buffers this channel holds back now. */
    public long heldBytes() {
        return queue == null ? 0 : queue.heldBytes();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        discard();
        countSent();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        packet.output(null);
        discard();
        countSent();
    }

    /** Releases every held reply and stops the timer. */
    private void discard() {
        timer.cancel();
        if (queue != null) {
            queue.clear();
        }
    }
}
