package io.tunecho.handler;

import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;

/** Dropping a message: count it under its reason, log it at DEBUG, release it. */
final class Drops {
    private Drops() {
    }

    static void drop(PacketCounters counters, DropReason reason, Object msg, Logger log) {
        counters.drop(reason);
        if (log.isDebugEnabled()) {
            log.debug("dropped ({}): {}", reason.metricName(), msg);
        }
        ReferenceCountUtil.release(msg);
    }
}
