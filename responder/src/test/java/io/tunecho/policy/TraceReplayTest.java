package io.tunecho.policy;

import io.tunecho.hosts.DelayTrace;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.samples.EmbeddedResponder;
import io.tunecho.samples.Packets;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tunecho.samples.EmbeddedResponder.host;
import static io.tunecho.samples.Packets.get32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/** A host with a trace: each address's replies leave after the trace's values, in order, looping. */
class TraceReplayTest {
    private static final int A = 0xC612000A; // 198.18.0.10
    private static final int B = 0xC612000B; // 198.18.0.11
    private static final long MS = 1_000_000L;

    private EmbeddedResponder responder;
    private int seq;

    private void start(HostSettings settings) {
        responder = EmbeddedResponder.of(host(IpCidr.parse("198.18.0.8/29"), settings));
    }

    @AfterEach
    void tearDown() {
        if (responder != null) {
            responder.close();
        }
    }

    /** Pings {@code dst} and returns how many whole ms its reply waited; the reply comes from {@code dst}. */
    private long delayMillis(int dst) {
        responder.send(new Packets.Builder().dst(dst).seq(++seq).buf());
        for (long ms = 0; ms <= 1000; ms++) {
            byte[] r = responder.reply();
            if (r != null) {
                assertEquals(dst, get32(r, 12), "the reply's source");
                return ms;
            }
            responder.advance(1);
        }
        return fail("no reply within 1 s");
    }

    @Test
    void eachAddressReplaysTheTraceInOrderLooping() {
        start(HostSettings.of(HostSetting.TRACE, new DelayTrace("ramp.txt", new long[] {10 * MS, 20 * MS, 30 * MS})));
        long[] got = {delayMillis(A), delayMillis(A), delayMillis(B), delayMillis(A), delayMillis(B), delayMillis(A),
                delayMillis(B), delayMillis(B)};
        // A: 10, 20, 30, 10 (looped); B, interleaved, from its own start: 10, 20, 30, 10
        assertEquals(List.of(10L, 20L, 10L, 30L, 20L, 10L, 30L, 10L), toList(got));
    }

    @Test
    void aReplyLeavesAtTheTracesValueNotBefore() {
        start(HostSettings.of(HostSetting.TRACE, new DelayTrace("t", new long[] {7_500_000})));
        responder.send(new Packets.Builder().dst(A).seq(1).buf());
        responder.advanceNanos(7_499_999);
        assertNull(responder.reply(), "1 ns before the trace's value");
        responder.advanceNanos(1);
        assertEquals(A, get32(responder.reply(), 12));
    }

    @Test
    void theTraceReplacesDelayAndJitter() {
        start(HostSettings.builder().set(HostSetting.DELAY, 100 * MS).set(HostSetting.JITTER, 50 * MS)
                .set(HostSetting.TRACE, new DelayTrace("t", new long[] {5 * MS, 0})).build());
        assertEquals(List.of(5L, 0L, 5L), toList(new long[] {delayMillis(A), delayMillis(A), delayMillis(A)}));
    }

    private static List<Long> toList(long[] a) {
        List<Long> l = new ArrayList<>();
        for (long v : a) {
            l.add(v);
        }
        return l;
    }
}
