package io.tunecho.handler;

import java.util.concurrent.atomic.LongAdder;

/**
 * What tunecho did with every packet: one counter for the replies and one per {@link DropReason}. Shared by all
 * handlers and channels (several queues count into one instance); {@link LongAdder}s, so that counting from
 * several threads does not contend and allocates nothing once warm.
 */
public final class PacketCounters {
    private static final DropReason[] REASONS = DropReason.values();

    private final LongAdder replied = new LongAdder();
    private final LongAdder icmpErrors = new LongAdder();
    private final LongAdder[] dropped = new LongAdder[REASONS.length];

    public PacketCounters() {
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
    }

    void replied() {
        replied.increment();
    }

    void icmpErrorSent() {
        icmpErrors.increment();
    }

    void drop(DropReason reason) {
        dropped[reason.ordinal()].increment();
    }

    /** Replies sent (a duplicated reply counts twice). */
    public long repliedCount() {
        return replied.sum();
    }

    /** ICMP errors sent in answer to requests (destination unreachable, ...). */
    public long icmpErrorCount() {
        return icmpErrors.sum();
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
