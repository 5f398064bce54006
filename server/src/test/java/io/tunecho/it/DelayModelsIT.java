package io.tunecho.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delay models as ping measures them: a lognormal host's median and 99th percentile over 2,000 pings 5 ms apart
 * are the configured ones (as measured, or less the lateness that ping measures for a fixed delay at the same time:
 * on a busy machine every reply is a little late, whatever its delay), and a trace host's round trips follow the
 * recorded series in order, looping. The machine may be busy: each measurement is tried a few times, and the best
 * run counts.
 */
class DelayModelsIT {
    private static final int TRIES = 5;

    @BeforeEach
    void guard() {
        Netns.assertPrivateNamespace("tunit120", "tunit121");
    }

    @Test
    void aLognormalHostsMedianAndP99(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tunecho.yaml");
        Files.writeString(config, String.join("\n",
                "interface: { name: tunit120, address: 198.18.120.1/24 }",
                "seed: 42",
                "hosts:",
                // replies may overtake each other: else a slow one holds back those behind it (pings 5 ms apart),
                // and ping would measure that wait on top of the distribution
                "  - { match: 198.18.120.10, delay: 5ms, p99: 20ms, distribution: lognormal, reorder: true }",
                "  - { match: 198.18.120.20, delay: 5ms }", // the machine's own lateness over a fixed delay
                ""));
        try (TunechoProcess t = TunechoProcess.start("--config", config.toString())) {
            String last = "";
            for (int i = 0; i < TRIES; i++) {
                PingOutput fixed = PingOutput.parse(Netns.run(60, "ping", "-n", "-c", "500", "-i", "0.005", "-W", "2",
                        "198.18.120.20").output());
                double late = fixed.medianMillis() - 5; // what ping measures beyond a delay on this machine now
                Netns.Result r = Netns.run(90, "ping", "-n", "-c", "2000", "-i", "0.005", "-W", "2", "198.18.120.10");
                PingOutput out = PingOutput.parse(r.output());
                assertEquals(2000, out.received(), "every ping answered:\n" + out.text());
                double[] rtt = out.replies().stream().mapToDouble(PingOutput.Reply::millis).sorted().toArray();
                double median = quantile(rtt, 0.5);
                double p99 = quantile(rtt, 0.99);
                last = "median " + median + " ms, p99 " + p99 + " ms over " + rtt.length + " replies, a fixed 5 ms "
                        + "delay measured " + fixed.medianMillis() + " ms";
                System.out.println("lognormal 5ms/20ms: " + last + "; " + summary(out.text()));
                // within 10% as measured, or once the lateness that any delay shows here now is taken off
                if (Math.abs(median - 5) <= 0.5 && Math.abs(p99 - 20) <= 2
                        || late > 0 && Math.abs(median - late - 5) <= 0.5 && Math.abs(p99 - late - 20) <= 2) {
                    assertEquals(0, t.terminate(), t.output());
                    return;
                }
            }
            throw new AssertionError("measured " + last + ", configured median 5 ms and p99 20 ms (within 10%)");
        }
    }

    @Test
    void aTraceIsReplayedInOrderLooping(@TempDir Path dir) throws Exception {
        double[] ramp = new double[20];
        StringBuilder file = new StringBuilder("# a ramp: 2, 4, ..., 40 ms\n");
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = 2 * (i + 1);
            file.append((int) ramp[i]).append('\n');
        }
        Files.writeString(dir.resolve("ramp.txt"), file);
        Path config = dir.resolve("tunecho.yaml");
        Files.writeString(config, String.join("\n",
                "interface: { name: tunit121, address: 198.18.121.1/24 }",
                "hosts:",
                "  - { match: 198.18.121.16/28, trace: ramp.txt }", // a relative name: beside the config file
                ""));
        try (TunechoProcess t = TunechoProcess.start("--config", config.toString())) {
            String last = "";
            for (int i = 0; i < TRIES; i++) {
                // a fresh address for each try: its replay starts at the trace's first value
                Netns.Result r = Netns.run(60, "ping", "-n", "-c", "100", "-i", "0.05", "-W", "2",
                        "198.18.121." + (20 + i));
                PingOutput out = PingOutput.parse(r.output());
                assertEquals(100, out.received(), "every ping answered:\n" + out.text());
                double[] measured = new double[100];
                double[] expected = new double[100];
                for (PingOutput.Reply reply : out.replies()) {
                    int k = reply.sequence() - 1; // icmp_seq counts from 1: the k-th request the host saw
                    measured[k] = reply.millis();
                    expected[k] = ramp[k % ramp.length];
                    assertTrue(measured[k] >= expected[k], "icmp_seq=" + reply.sequence() + " " + measured[k]
                            + " ms, before the trace's " + expected[k] + " ms:\n" + out.text());
                }
                double r2 = pearson(measured, expected);
                last = "r = " + r2 + ", first replies " + Arrays.toString(Arrays.copyOf(measured, 22));
                System.out.println("trace ramp 2..40 ms: " + last);
                if (r2 > 0.9) {
                    assertEquals(0, t.terminate(), t.output());
                    return;
                }
            }
            throw new AssertionError("the measured series does not follow the trace: " + last);
        }
    }

    /** The {@code q} quantile of sorted values (the nearest rank). */
    private static double quantile(double[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static String summary(String pingOutput) {
        List<String> lines = pingOutput.lines().filter(l -> l.startsWith("rtt") || l.contains("transmitted"))
                .toList();
        return String.join("; ", lines);
    }
}
