package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;

import java.util.List;
import java.util.Map;

/**
 * What {@link ProbeTable} knows about one probed address, copied out of the table: how many probes came, when the
 * first and the last came (wall clock, ms since the epoch), who sent the most recent ones, and the same figures by
 * protocol with the intervals between consecutive probes.
 *
 * @param address    the probed address (a {@code /32} or {@code /128})
 * @param probes     probes of any protocol
 * @param sources    a few (up to 4) probing source addresses, the most recent first
 * @param byProtocol the protocols that probed the address, each with its series
 */
public record ProbeRecord(IpCidr address, long probes, long firstMillis, long lastMillis, List<IpCidr> sources,
                          Map<ProbeTable.Protocol, Series> byProtocol) {

    /**
     * The probes of one protocol. The intervals are between consecutive probes of this protocol; they are 0 until
     * there were two probes.
     */
    public record Series(long probes, long firstMillis, long lastMillis, long lastIntervalMillis,
                         long meanIntervalMillis, long maxIntervalMillis) {
    }
}
