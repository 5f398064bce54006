package io.tunecho.packet;

import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;

/**
 * The one place where a packet is dropped: counted under its {@link DropReason}, logged at DEBUG (by the logger of
 * the stage that dropped it) and released.
 */
final class Drops {
    private Drops() {
    }

    static void drop(PacketCounters counters, Logger log, DropReason reason, Object msg) {
        counters.drop(reason);
        if (log.isDebugEnabled()) {
            log.debug("dropped ({}): {}", reason.metricName(), msg);
        }
        ReferenceCountUtil.release(msg);
    }
}
