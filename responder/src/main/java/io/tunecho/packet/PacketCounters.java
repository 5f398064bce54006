package io.tunecho.packet;

import java.util.concurrent.atomic.LongAdder;

/**
 * What tunecho did with every packet: one counter per {@link ReplyKind} that it sent and one per {@link DropReason}. Shared by all
 * handlers and channels (several queues count into one instance); {@link LongAdder}s, so that counting from
 * several threads does not contend and allocates nothing once warm.
 */
public final class PacketCounters {
    private static final DropReason[] REASONS = DropReason.values();
    private static final ReplyKind[] KINDS = ReplyKind.values();

    private final LongAdder[] sent = new LongAdder[KINDS.length];
    private final LongAdder[] dropped = new LongAdder[REASONS.length];

    public PacketCounters() {
        for (int i = 0; i < sent.length; i++) {
            sent[i] = new LongAdder();
        }
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
    }

    public void count(ReplyKind kind) {
        sent[kind.ordinal()].increment();
    }

    /** {@code n} packets of one kind sent. */
    public void count(ReplyKind kind, long n) {
        sent[kind.ordinal()].add(n);
    }

    public void drop(DropReason reason) {
        dropped[reason.ordinal()].increment();
    }

    /** The packets of one kind sent (a duplicated reply counts twice). */
    public long sent(ReplyKind kind) {
        return sent[kind.ordinal()].sum();
    }

    /** Replies sent, echo replies and TCP segments (a duplicated reply counts twice); not ICMP errors. */
    public long repliedCount() {
        return sent(ReplyKind.ECHO) + sent(ReplyKind.TCP);
    }

    /** ICMP errors sent in answer to requests (destination unreachable, ...). */
    public long icmpErrorCount() {
        return sent(ReplyKind.ICMP_ERROR);
    }

    public long dropped(DropReason reason) {
        return dropped[reason.ordinal()].sum();
    }

    public long droppedTotal() {
        long total = 0;
        for (LongAdder d : dropped) {
            total += d.sum();
        }
        return total;
    }

    /** {@code replied=N dropped=M (reason=n ...)}, listing only the reasons that occurred. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("replied=").append(repliedCount());
        if (sent(ReplyKind.TCP) > 0) {
            sb.append(" tcp=").append(sent(ReplyKind.TCP));
        }
        if (icmpErrorCount() > 0) {
            sb.append(" icmp_errors=").append(icmpErrorCount());
        }
        sb.append(" dropped=").append(droppedTotal());
        String sep = " (";
        for (DropReason r : REASONS) {
            long n = dropped(r);
            if (n != 0) {
                sb.append(sep).append(r.metricName()).append('=').append(n);
                sep = " ";
            }
        }
        if (!sep.equals(" (")) {
            sb.append(')');
        }
        return sb.toString();
    }
}
