package io.tunecho.http;

import io.tunecho.config.ConfigException;
import io.tunecho.config.TunechoConfig;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.ReplyKind;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scrape after known changes of the counters shows exactly those values, under the names the README documents.
 * The fixture has no channel, so the per-queue meters (packets and bytes read and written, held replies,
 * reassembly) are not here: they need a TUN device (HostileTrafficIT and OverloadIT read them).
 */
class MetricsTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    /** The documented names that need no channel. */
    private static final Set<String> DOCUMENTED = Set.of("tunecho_replies_total", "tunecho_dropped_total",
            "tunecho_host_requests_total", "tunecho_host_replies_total", "tunecho_host_icmp_errors_total",
            "tunecho_host_dropped_total", "tunecho_host_last_probed_seconds", "tunecho_reloads_total",
            "tunecho_overrides", "tunecho_host_events_total", "tunecho_capture_packets_total",
            "tunecho_capture_dropped_total", "tunecho_http_connections_evicted_total", "tunecho_host_probes_total",
            "tunecho_host_addresses", "tunecho_host_addresses_never_probed", "tunecho_host_addresses_not_probed",
            "tunecho_probes_addresses", "tunecho_probes_forgotten_total", "tunecho_alerts_received_total");

    private final AdminFixture fixture = new AdminFixture();
    private final Metrics metrics = new Metrics(fixture.context, fixture.connections);
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Each sample line's series (name and labels, as written) and value. */
    private Map<String, Double> scrape() {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : metrics.scrape().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    private static Map<String, Double> family(Map<String, Double> samples, String name) {
        Map<String, Double> f = new LinkedHashMap<>();
        samples.forEach((series, v) -> {
            if (series.equals(name) || series.startsWith(name + "{")) {
                f.put(series, v);
            }
        });
        return f;
    }

    @Test
    void repliesAndDropsAreExactlyTheCounts() {
        PacketCounters c = fixture.counters;
        Map<ReplyKind, Integer> sent = new EnumMap<>(Map.of(ReplyKind.ECHO, 3, ReplyKind.ICMP_ERROR, 2));
        Map<DropReason, Integer> dropped = new EnumMap<>(Map.of(DropReason.NOT_ANSWERED, 2, DropReason.LOSS, 1,
                DropReason.BAD_HEADER_CHECKSUM, 5));
        sent.forEach((k, n) -> repeat(n, () -> c.count(k)));
        dropped.forEach((r, n) -> repeat(n, () -> c.drop(r)));

        Map<String, Double> samples = scrape();
        Map<String, Double> replies = new LinkedHashMap<>();
        for (ReplyKind k : ReplyKind.values()) {
            replies.put("tunecho_replies_total{kind=\"" + k.metricName() + "\"}", (double) sent.getOrDefault(k, 0));
        }
        assertEquals(replies, family(samples, "tunecho_replies_total"));
        Map<String, Double> drops = new LinkedHashMap<>();
        for (DropReason r : DropReason.values()) {
            drops.put("tunecho_dropped_total{reason=\"" + r.metricName() + "\"}", (double) dropped.getOrDefault(r, 0));
        }
        assertEquals(drops, family(samples, "tunecho_dropped_total"));
        assertEquals(3.0, samples.get("tunecho_replies_total{kind=\"echo\"}"), "the README's label value");
        assertEquals(2.0, samples.get("tunecho_replies_total{kind=\"icmp_error\"}"));

        c.count(ReplyKind.ECHO);
        assertEquals(4.0, scrape().get("tunecho_replies_total{kind=\"echo\"}"), "read again at each scrape");
    }

    @Test
    void hostEntriesByPrefix() {
        HostCounters far = entry("198.18.0.10/32").counters();
        far.request(1_700_000_000_500L);
        far.request(1_700_000_001_000L);
        far.replied();
        far.errorSent();
        far.drop(HostCounters.Drop.LOSS);

        Map<String, Double> s = scrape();
        String entry = "entry=\"198.18.0.10/32\"";
        assertEquals(2.0, s.get("tunecho_host_requests_total{" + entry + "}"));
        assertEquals(1.0, s.get("tunecho_host_replies_total{" + entry + "}"));
        assertEquals(1.0, s.get("tunecho_host_icmp_errors_total{" + entry + "}"));
        assertEquals(1_700_000_001.0, s.get("tunecho_host_last_probed_seconds{" + entry + "}"));
        Map<String, Double> drops = new LinkedHashMap<>();
        for (HostCounters.Drop d : HostCounters.Drop.values()) {
            drops.put("tunecho_host_dropped_total{" + entry + ",reason=\"" + d.metricName() + "\"}",
                    d == HostCounters.Drop.LOSS ? 1.0 : 0.0);
        }
        Map<String, Double> hostDrops = family(s, "tunecho_host_dropped_total");
        hostDrops.keySet().removeIf(k -> !k.contains(entry));
        assertEquals(drops, hostDrops);
        assertEquals(0.0, s.get("tunecho_host_requests_total{entry=\"198.18.0.64/27\"}"), "another entry's");
        Set<String> entries = family(s, "tunecho_host_requests_total").keySet();
        assertEquals(fixture.control.current().entries().size(), entries.size(), "one series per entry: " + entries);
    }

    @Test
    void probeCoverageByEntry() {
        // the entry 198.18.0.64/27 answers 32 addresses; 198.18.0.10/32 one; the /24 the rest
        ProbeTable probes = fixture.probes;
        long now = fixture.probeClock.currentTimeMillis();
        int monitor = IpCidr.parse("198.18.0.1").ipv4Address();
        probes.recordIpv4(ProbeTable.Protocol.ICMP_ECHO, IpCidr.parse("198.18.0.65").ipv4Address(), monitor, now);
        fixture.probeClock.advance(61, TimeUnit.SECONDS); // past probes.coverage (60s): .65 is no longer covered
        now = fixture.probeClock.currentTimeMillis();
        probes.recordIpv4(ProbeTable.Protocol.UDP, IpCidr.parse("198.18.0.66").ipv4Address(), monitor, now);
        probes.recordIpv4(ProbeTable.Protocol.UDP, IpCidr.parse("198.18.0.66").ipv4Address(), monitor, now);
        entry("198.18.0.64/27").counters().probed();
        entry("198.18.0.64/27").counters().probed();

        Map<String, Double> s = scrape();
        String e = "{entry=\"198.18.0.64/27\"}";
        assertEquals(32.0, s.get("tunecho_host_addresses" + e));
        assertEquals(30.0, s.get("tunecho_host_addresses_never_probed" + e), "two of 32 were probed");
        assertEquals(31.0, s.get("tunecho_host_addresses_not_probed" + e), "one of 32 within the last 60 s");
        assertEquals(2.0, s.get("tunecho_host_probes_total" + e));
        String one = "{entry=\"198.18.0.10/32\"}";
        assertEquals(1.0, s.get("tunecho_host_addresses" + one));
        assertEquals(1.0, s.get("tunecho_host_addresses_never_probed" + one));
        assertEquals(2.0, s.get("tunecho_probes_addresses"));
        assertEquals(0.0, s.get("tunecho_probes_forgotten_total"));
        Set<String> series = family(s, "tunecho_host_addresses_never_probed").keySet();
        assertEquals(fixture.control.current().entries().size(), series.size(), "one series per entry: " + series);
    }

    @Test
    void anEntrysAddressesAreItsPrefixLessWhatIsNestedInIt() {
        Map<String, Double> s = scrape();
        double nested = 0;
        for (HostEntry e : fixture.control.current().entries()) {
            nested += s.get("tunecho_host_addresses{entry=\"" + e.match() + "\"}");
        }
        // 198.18.0.0/24 less its network, broadcast and own addresses (and the three entries carve it up)
        assertEquals(256.0 - 3, nested);
        assertEquals(256.0 - 3 - 32 - 1 - 1, s.get("tunecho_host_addresses{entry=\"198.18.0.0/24\"}"));
    }

    @Test
    void reloadsOverridesAndEvents() throws Exception {
        fixture.control.put(IpCidr.parse("198.18.0.70"), null, HostSettings.EMPTY, null);
        fixture.control.reload(AdminFixture.load(AdminFixture.YAML.replace("ttl: 128", "ttl: 100")));
        TunechoConfig restart = AdminFixture.load(AdminFixture.YAML.replace("/24", "/25"));
        assertThrows(ConfigException.class, () -> fixture.control.reload(restart));
        Map<String, Double> s = scrape();
        assertEquals(1.0, s.get("tunecho_reloads_total{result=\"ok\"}"));
        assertEquals(1.0, s.get("tunecho_reloads_total{result=\"refused\"}"));
        assertEquals(1.0, s.get("tunecho_overrides"));
        assertEquals((double) fixture.control.events().count(), s.get("tunecho_host_events_total"));
        assertEquals(2.0, s.get("tunecho_host_events_total"), "the override added an entry, the reload changed one");
        assertEquals(0.0, s.get("tunecho_capture_packets_total"));
        assertEquals(0.0, s.get("tunecho_capture_dropped_total"));
    }

    @Test
    void anEntryRemovedByAReloadLosesItsSeries() throws Exception {
        assertTrue(scrape().containsKey("tunecho_host_requests_total{entry=\"198.18.0.99/32\"}"));
        fixture.control.reload(AdminFixture.load(AdminFixture.YAML.replace("198.18.0.99", "198.18.0.98")));
        Map<String, Double> s = scrape();
        assertFalse(s.keySet().stream().anyMatch(k -> k.contains("198.18.0.99/32")), s.keySet().toString());
        assertEquals(0.0, s.get("tunecho_host_requests_total{entry=\"198.18.0.98/32\"}"));
    }

    @Test
    void namesAreTheDocumentedOnes() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("tunecho_[a-z_]+").matcher(Files.readString(Path.of("README.md")));
        while (m.find()) {
            documented.add(m.group());
        }
        Set<String> scraped = new TreeSet<>();
        for (String series : scrape().keySet()) {
            String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            if (name.startsWith("tunecho_")) {
                scraped.add(name);
            }
        }
        assertEquals(DOCUMENTED, scraped);
        assertTrue(documented.containsAll(scraped), "not in the README: " + diff(scraped, documented));
    }

    private static Set<String> diff(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    @Test
    void passesPromtool() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "no " + PROMTOOL);
        fixture.counters.count(ReplyKind.ECHO);
        entry("198.18.0.10/32").counters().request(System.currentTimeMillis());
        Path text = dir.resolve("metrics.txt");
        Files.writeString(text, metrics.scrape());
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectInput(text.toFile())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
    }

    private HostEntry entry(String match) {
        return fixture.control.current().prefixes().get(IpCidr.parse(match));
    }

    private static void repeat(int n, Runnable r) {
        for (int i = 0; i < n; i++) {
            r.run();
        }
    }
}
