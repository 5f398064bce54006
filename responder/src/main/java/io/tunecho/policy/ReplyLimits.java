package io.tunecho.policy;

import io.tunecho.hosts.AddressStates;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.TokenBucket;

/**
 * The limits of answers that hold for every host alike: the channel's share of the answers a second, and the answers
 * a second to one source address. A request over either goes unanswered. Per channel, so without locks; nothing is
 * allocated per packet.
 */
final class ReplyLimits {
    private final Clock clock;
    /** The channel's limit, or {@code null} when there is none. */
    private final TokenBucket all;
    private final double perSource;
    private final AddressStates sources;

    /**
     * @param perSecond the channel's answers a second, or 0 for no limit
     * @param perSource the answers a second to one source address, or 0 for no limit
     * @param sources   where the per-source buckets are kept
     */
    ReplyLimits(Clock clock, double perSecond, double perSource, AddressStates sources) {
        this.clock = clock;
        this.all = perSecond > 0 ? new TokenBucket(perSecond, TokenBucket.oneSecondOf(perSecond), clock.nanoTime())
                : null;
        this.perSource = perSource;
        this.sources = sources;
    }

    /** Whether a request from {@code source} (an address key) may be answered now; takes its tokens if so. */
    boolean allow(long source) {
        if (all == null && perSource <= 0) {
            return true;
        }
        long now = clock.nanoTime();
        if (all != null && !all.hasToken(now)) {
            return false;
        }
        if (perSource > 0 && !sources.takeToken(sources.slot(AddressStates.pairKey(source, 0)), perSource, now)) {
            return false;
        }
        if (all != null) {
            all.take(); // only a request that both limits let through counts against the channel's
        }
        return true;
    }
}
