package io.tunecho.hosts;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The formats of a trace file, and an error with its line for each way one can be wrong. */
class TraceTextTest {
    private static final long MS = 1_000_000L;

    private static TraceText.FormatException error(String text, String column, String host) {
        return assertThrows(TraceText.FormatException.class, () -> TraceText.parse(text, column, host));
    }

    @Test
    void oneValuePerLineSkipsBlankLinesAndComments() {
        String text = "# rtt in ms\n2\n\n  4.5  # slow\r\n0.25\n";
        assertArrayEquals(new long[] {2 * MS, 4_500_000, 250_000}, TraceText.parse(text, null, null));
    }

    @Test
    void fpingCountOutputSkipsLostProbesAndTakesEveryHostInOrder() {
        String text = "198.18.0.10 : 1.23 1.45 - 2.01\n198.18.0.11 : 3.00 - -\n";
        assertArrayEquals(new long[] {1_230_000, 1_450_000, 2_010_000, 3 * MS}, TraceText.parse(text, null, null));
    }

    @Test
    void fpingCountOutputOfOneHost() {
        String text = "198.18.0.10 : [0], 64 bytes, 1.23 ms (1.23 avg, 0% loss)\n"
                + "198.18.0.10 : 1.23 1.45\n198.18.0.11 : 3.00 4.00\n";
        assertArrayEquals(new long[] {3 * MS, 4 * MS}, TraceText.parse(text, null, "198.18.0.11"));
        assertArrayEquals(new long[] {1_230_000, 1_450_000}, TraceText.parse(text, null, "198.18.0.10"),
                "the per-reply line is skipped: the summary line holds the same value");
    }

    @Test
    void csvColumnByNameOrNumber() {
        String text = "time,\"rtt_ms\",host\n10:00,1.5,a\n10:01,,a\n10:02,2.5,a\n";
        assertArrayEquals(new long[] {1_500_000, 2_500_000}, TraceText.parse(text, "rtt_ms", null));
        assertArrayEquals(new long[] {1_500_000, 2_500_000}, TraceText.parse(text, "2", null));
    }

    @Test
    void errorsNameTheLine() {
        TraceText.FormatException e = error("1\n2\nabc\n", null, null);
        assertEquals(3, e.line());
        assertEquals("'abc' is not a round-trip time in milliseconds (0 or more, at most an hour)", e.getMessage());
        assertEquals(2, error("1\n-3\n", null, null).line(), "negative");
        assertEquals(1, error("198.18.0.10 : 1.0 x\n", null, null).line(), "fping value");
        assertEquals(2, error("198.18.0.10 : 1.0\njunk\n", null, null).line(), "fping line");
        e = error("a,b\n1,2\n", "c", null);
        assertEquals(1, e.line());
        assertEquals("no column 'c' in the header (columns: a, b, or 1..2)", e.getMessage());
        e = error("a,b\n1,2\n3\n", "b", null);
        assertEquals(3, e.line());
        assertEquals("has 1 fields; column b is field 2", e.getMessage());
        assertEquals(2, error("a\nx\n", "a", null).line(), "csv value");
    }

    @Test
    void errorsOfTheFileAsAWhole() {
        assertEquals("no values", error("# nothing\n\n", null, null).getMessage());
        assertEquals(0, error("", null, null).line());
        assertEquals("no values", error("198.18.0.10 : - -\n", null, null).getMessage());
        assertEquals("no line for host 198.18.0.12", error("198.18.0.10 : 1\n", null, "198.18.0.12").getMessage());
        assertEquals("no header line", error("\n# x\n", "rtt", null).getMessage());
        assertEquals("no values", error("rtt\n", "rtt", null).getMessage());
        assertEquals("host 198.18.0.10 given, but this is not the output of fping -C (HOST : 1.23 1.45 - 2.01)",
                error("1\n", null, "198.18.0.10").getMessage());
        assertEquals("a CSV trace has no hosts: give column or host, not both", error("a\n1\n", "a", "h").getMessage());
    }

    @Test
    void aTraceIsWrittenAsItsFileAndLoopsItsValues() {
        DelayTrace t = new DelayTrace("rtt.txt", new long[] {1, 2, 3});
        assertEquals("rtt.txt", t.toString());
        assertEquals(3, t.length());
        assertEquals(1, t.nanosAt(3));
        assertEquals(new DelayTrace("rtt.txt", new long[] {1, 2, 3}), t);
        assertThrows(IllegalArgumentException.class, () -> new DelayTrace("x", new long[0]));
        assertEquals("{file: rtt.txt}", HostSetting.TRACE.format(new DelayTrace("{file: rtt.txt}", new long[] {1})));
    }
}
