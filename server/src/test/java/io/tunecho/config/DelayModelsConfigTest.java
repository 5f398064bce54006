package io.tunecho.config;

import io.tunecho.hosts.Clock;
import io.tunecho.hosts.DelayTrace;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.JitterDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code p99} and {@code trace} in a config file: read, resolved from the file's folder, and their errors. */
class DelayModelsConfigTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private TunechoConfig loadFile(String yaml) throws Exception {
        Path lab = dir.resolve("lab").resolve("lab.yaml");
        Files.createDirectories(lab.getParent());
        Files.writeString(lab, yaml);
        TunechoConfig c = ConfigLoader.load(lab, TunechoConfig.defaults());
        c.validate();
        return c;
    }

    private String error(String yaml) {
        return assertThrows(ConfigException.class, () -> loadFile(yaml)).getMessage();
    }

    private void write(String name, String text) throws Exception {
        Files.createDirectories(dir.resolve("lab"));
        Files.writeString(dir.resolve("lab").resolve(name), text);
    }

    @Test
    void lognormalWithP99() throws Exception {
        TunechoConfig c = loadFile("profiles:\n  measured: { delay: 5ms, p99: 20ms, distribution: lognormal }\n");
        HostSettings s = c.profiles().get("measured");
        assertEquals(20 * MS, s.get(HostSetting.P99));
        assertEquals(JitterDistribution.LOGNORMAL, s.get(HostSetting.DISTRIBUTION));
        assertEquals("20ms", s.describe().get("p99"));
    }

    @Test
    void aLognormalHostWithoutAP99LongerThanItsDelayIsAnErrorNamingTheEntry() throws Exception {
        TunechoConfig c = loadFile(
                "hosts:\n  - { match: 198.18.0.10, delay: 5ms, p99: 2ms, distribution: lognormal }\n");
        String m = assertThrows(IllegalArgumentException.class,
                () -> HostTable.build(c.hostConfig(), null, Clock.SYSTEM)).getMessage();
        assertTrue(m.matches(".*lab\\.yaml:2: distribution: lognormal needs delay \\(its median\\) longer than 0 and "
                + "p99 \\(its 99th percentile\\) longer than delay; delay is 5ms, p99 is 2ms"), m);
    }

    @Test
    void aTraceIsReadFromTheConfigFilesFolder() throws Exception {
        write("ramp.txt", "# ms\n2\n4\n6\n");
        TunechoConfig c = loadFile("hosts:\n  - { match: 198.18.0.10, trace: ramp.txt }\n");
        DelayTrace t = c.hosts().get(0).settings().get(HostSetting.TRACE);
        assertEquals(new DelayTrace("ramp.txt", new long[] {2 * MS, 4 * MS, 6 * MS}), t);
        assertEquals("ramp.txt", c.hosts().get(0).settings().describe().get("trace"));
        HostTable table = HostTable.build(c.hostConfig(), null, Clock.SYSTEM);
        long d = table.lookupIpv4(0xC612000A).baseBehaviour().sampleDelayNanos(new SplittableRandom(1));
        assertTrue(d == 2 * MS || d == 4 * MS || d == 6 * MS, "a value of the trace at random: " + d);
    }

    @Test
    void aCsvColumnAndAnFpingHost() throws Exception {
        write("rtt.csv", "time,rtt\n1,1.5\n2,2.5\n");
        write("fping.txt", "198.18.0.10 : 1.00 - 3.00\n198.18.0.11 : 7.00\n");
        TunechoConfig c = loadFile("hosts:\n  - { match: 198.18.0.10, trace: { file: rtt.csv, column: rtt } }\n"
                + "  - { match: 198.18.0.11, trace: { file: fping.txt, host: 198.18.0.10 } }\n");
        DelayTrace csv = c.hosts().get(0).settings().get(HostSetting.TRACE);
        assertEquals(new DelayTrace("{file: rtt.csv, column: rtt}", new long[] {1_500_000, 2_500_000}), csv);
        DelayTrace fping = c.hosts().get(1).settings().get(HostSetting.TRACE);
        assertEquals(new DelayTrace("{file: fping.txt, host: 198.18.0.10}", new long[] {MS, 3 * MS}), fping);
    }

    @Test
    void aMissingEmptyOrBadFileIsOneLineWithTheFileAndLine() throws Exception {
        Path lab = dir.resolve("lab");
        String m = error("hosts:\n  - { match: 198.18.0.10, trace: nope.txt }\n");
        assertEquals(lab.resolve("lab.yaml") + ":2: hosts[0].trace: cannot read " + lab.resolve("nope.txt")
                + ": no such file", m);
        write("empty.txt", "# nothing yet\n");
        m = error("hosts:\n  - { match: 198.18.0.10, trace: empty.txt }\n");
        assertTrue(m.endsWith("hosts[0].trace: " + lab.resolve("empty.txt") + ": no values"), m);
        write("bad.txt", "1\n2\nfast\n");
        m = error("hosts:\n  - { match: 198.18.0.10, trace: bad.txt }\n");
        assertTrue(m.endsWith("hosts[0].trace: " + lab.resolve("bad.txt") + ":3: 'fast' is not a round-trip time "
                + "in milliseconds (0 or more, at most an hour)"), m);
        assertTrue(!m.contains("\n"), "one line");
        m = error("hosts:\n  - { match: 198.18.0.10, trace: { file: bad.txt, colum: x } }\n");
        assertTrue(m.contains("unknown key 'colum' in hosts[0].trace (known keys: file, column, host)"), m);
        m = error("hosts:\n  - { match: 198.18.0.10, trace: { column: x } }\n");
        assertTrue(m.contains("hosts[0].trace needs 'file'"), m);
    }

    @Test
    void yamlTextTakesRelativeTracesFromTheWorkingDirectory() throws Exception {
        TunechoConfig c = ConfigLoader.load("hosts:\n  - { match: 198.18.0.10, trace: config/trace-ramp.txt }\n",
                "api", TunechoConfig.defaults());
        DelayTrace t = c.hosts().get(0).settings().get(HostSetting.TRACE);
        assertEquals(20, t.length());
        assertEquals(2 * MS, t.nanosAt(0));
        assertEquals(40 * MS, t.nanosAt(19));
    }
}
