package io.tunecho.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tunecho.drill.AlertNotice;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.packet.DropReason;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.ReplyKind;
import io.tunecho.policy.ReplyShaper;
import io.tunecho.transport.AbstractTunChannel;
import io.tunecho.transport.TunChannelStats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * tunecho's metrics in Prometheus's text format, through Micrometer's Prometheus registry. Every meter reads a
 * counter that the packet path keeps anyway, when scraped: turning metrics on adds nothing to a packet. Host entries
 * are labelled by entry (their prefix), never by address, so the number of series is bounded by the configuration;
 * the meters of an entry that a reload removed are removed at the next scrape (Micrometer holds the counters
 * weakly, and the host table holds them while the entry exists).
 */
final class Metrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AdminContext context;
    /** The meters of each host entry's counters, by counters object (kept across reloads with the entry). */
    private final Map<HostCounters, List<Meter>> hostMeters = new HashMap<>();
    private HostTable seen;
    /** Micrometer holds the objects of function counters weakly: these live as long as the registry. */
    private final List<Object> held = new ArrayList<>();
    /** The entries' probe coverage, taken at each scrape. */
    private final ProbeCoverage coverage;

    Metrics(AdminContext context, ConnectionLimit connections) {
        this.context = context;
        this.coverage = new ProbeCoverage(context.probes(), context.config().probesCoverage());
        // Before any meter is registered (Micrometer warns otherwise). Two of ProcessorMetrics' names fail
        // Prometheus's naming rules (promtool check metrics): the process's CPU time in "ns", and a gauge ending in
        // _count. The CPU time comes back under Prometheus's standard name.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
                || id.getName().equals("system.cpu.count")));
        PacketCounters counters = context.counters();
        String transport = context.transport();
        for (int q = 0; q < context.channels().get().size(); q++) {
            int queue = q;
            java.util.function.Supplier<AbstractTunChannel> ch = () -> {
                List<AbstractTunChannel> now = context.channels().get();
                return now.size() > queue ? now.get(queue) : null;
            };
            Tags tags = Tags.of("queue", Integer.toString(q), "transport", transport);
            QueueCounts counts = new QueueCounts(ch);
            held.add(counts);
            FunctionCounter.builder("tunecho.packets.read", counts, c -> c.get(QueueCounts.PACKETS_READ))
                    .tags(tags).description("Packets read from the TUN device").register(registry);
            FunctionCounter.builder("tunecho.packets.written", counts, c -> c.get(QueueCounts.PACKETS_WRITTEN))
                    .tags(tags).description("Packets written to the TUN device").register(registry);
            FunctionCounter.builder("tunecho.read", counts, c -> c.get(QueueCounts.BYTES_READ)).tags(tags)
                    .baseUnit("bytes").description("Bytes read from the TUN device").register(registry);
            FunctionCounter.builder("tunecho.written", counts, c -> c.get(QueueCounts.BYTES_WRITTEN)).tags(tags)
                    .baseUnit("bytes").description("Bytes written to the TUN device").register(registry);
            FunctionCounter.builder("tunecho.write.errors", counts, c -> c.get(QueueCounts.WRITE_ERRORS))
                    .tags(tags).description("Packets the TUN device refused to take").register(registry);
            Gauge.builder("tunecho.delayed.replies", ch, c -> held(c.get(), false)).tags(tags).strongReference(true)
                    .description("Replies held back for a delay").register(registry);
            Gauge.builder("tunecho.delayed", ch, c -> held(c.get(), true)).tags(tags).baseUnit("bytes")
                    .strongReference(true).description("Bytes of the buffers that hold delayed replies")
                    .register(registry);
            Gauge.builder("tunecho.delay.lead", ch, c -> lead(c.get())).tags(tags).baseUnit("seconds")
                    .strongReference(true)
                    .description("How long before a delayed reply's time its timer is set: the lateness learnt")
                    .register(registry);
            Gauge.builder("tunecho.reassembly.datagrams", ch, c -> reassembly(c.get(), false)).tags(tags)
                    .strongReference(true).description("Datagrams whose fragments are being reassembled")
                    .register(registry);
            Gauge.builder("tunecho.reassembly", ch, c -> reassembly(c.get(), true)).tags(tags).baseUnit("bytes")
                    .strongReference(true).description("Bytes of the buffers that hold fragments in reassembly")
                    .register(registry);
        }
        for (ReplyKind k : ReplyKind.values()) {
            FunctionCounter.builder("tunecho.replies", counters, c -> c.sent(k)).tags("kind", k.metricName())
                    .description("Packets sent in answer, by kind: echo replies, TCP segments, ICMP errors")
                    .register(registry);
        }
        for (DropReason r : DropReason.values()) {
            FunctionCounter.builder("tunecho.dropped", counters, c -> c.dropped(r)).tags("reason", r.metricName())
                    .description("Packets dropped, by reason").register(registry);
        }
        FunctionCounter.builder("tunecho.reloads", context.control(), c -> c.reloadCounts()[0]).tags("result", "ok")
                .description("Config reloads, by result").register(registry);
        FunctionCounter.builder("tunecho.reloads", context.control(), c -> c.reloadCounts()[1])
                .tags("result", "refused").description("Config reloads, by result").register(registry);
        FunctionCounter.builder("tunecho.host.events", context.control().events(), e -> e.count())
                .description("Changes of host behaviour recorded").register(registry);
        Gauge.builder("tunecho.overrides", context.control(), c -> c.overrides().size())
                .description("Admin API overrides in force").register(registry);
        FunctionCounter.builder("tunecho.capture.packets", context.capture(), c -> c.written())
                .description("Packets written to capture files").register(registry);
        FunctionCounter.builder("tunecho.capture.dropped", context.capture(), c -> c.dropped())
                .description("Packets a capture could not keep up with").register(registry);
        FunctionCounter.builder("tunecho.http.connections.evicted", connections, ConnectionLimit::evicted)
                .description("Idle HTTP connections closed to admit new ones when the server was full")
                .register(registry);
        if (context.probes() != null) {
            Gauge.builder("tunecho.probes.addresses", context.probes(), ProbeTable::size)
                    .description("Probed addresses tracked (GET /api/probes)").register(registry);
            FunctionCounter.builder("tunecho.probes.forgotten", context.probes(), ProbeTable::forgotten)
                    .description("Probed addresses forgotten because the probe table was full").register(registry);
        }
        if (context.alerts() != null) {
            for (AlertNotice.Status s : AlertNotice.Status.values()) {
                FunctionCounter.builder("tunecho.alerts.received", context.alerts(), a -> a.received(s))
                        .tags("status", s.name().toLowerCase(java.util.Locale.ROOT))
                        .description("Alerts received (POST /api/alerts), by status").register(registry);
            }
        }
        if (context.scenario() != null) {
            for (io.tunecho.drill.Verdict v : io.tunecho.drill.Verdict.values()) {
                Gauge.builder("tunecho.scenario.expectations", context.scenario(), r -> r.expectations(v))
                        .tags("result", v.toString()).description("The scenario's expectations, by result so far")
                        .register(registry);
            }
        }
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            FunctionCounter.builder("process.cpu", (com.sun.management.OperatingSystemMXBean) os,
                    b -> b.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time the process used").register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * A queue's counters across the channels that served it: an interface re-created gives the queue a new channel
     * whose counts start at 0, so the final counts of the channels before it are kept, and the sum only grows.
     */
    private static final class QueueCounts {
        static final int PACKETS_READ = 0;
        static final int PACKETS_WRITTEN = 1;
        static final int BYTES_READ = 2;
        static final int BYTES_WRITTEN = 3;
        static final int WRITE_ERRORS = 4;

        private final java.util.function.Supplier<AbstractTunChannel> channel;
        private final long[] retired = new long[5];
        private final long[] current = new long[5];
        private AbstractTunChannel seen;

        QueueCounts(java.util.function.Supplier<AbstractTunChannel> channel) {
            this.channel = channel;
        }

        synchronized double get(int field) {
            AbstractTunChannel ch = channel.get();
            if (ch != seen) {
                for (int i = 0; i < retired.length; i++) {
                    retired[i] += current[i];
                    current[i] = 0;
                }
                seen = ch;
            }
            if (ch != null) {
                TunChannelStats s = ch.stats();
                current[PACKETS_READ] = s.packetsRead();
                current[PACKETS_WRITTEN] = s.packetsWritten();
                current[BYTES_READ] = s.bytesRead();
                current[BYTES_WRITTEN] = s.bytesWritten();
                current[WRITE_ERRORS] = s.writeErrors();
            }
            return retired[field] + current[field];
        }
    }

    private static double reassembly(AbstractTunChannel ch, boolean bytes) {
        io.tunecho.ip.Reassembler r = ch == null ? null : AdminContext.reassembler(ch);
        return r == null ? 0 : bytes ? r.heldBytes() : r.datagrams();
    }

    private static double held(AbstractTunChannel ch, boolean bytes) {
        if (ch == null) {
            return 0;
        }
        ReplyShaper s = AdminContext.shaper(ch);
        return s == null ? 0 : bytes ? s.heldBytes() : s.held();
    }

    private static double lead(AbstractTunChannel ch) {
        ReplyShaper s = ch == null ? null : AdminContext.shaper(ch);
        return s == null ? 0 : s.leadNanos() / 1e9;
    }

    /** The exposition text; registers the meters of new host entries and removes those of entries gone. */
    synchronized String scrape() {
        HostTable table = context.control().current();
        syncHosts(table);
        coverage.update(table);
        return registry.scrape();
    }

    private void syncHosts(HostTable table) {
        if (table == seen) {
            return;
        }
        Map<HostCounters, List<Meter>> keep = new HashMap<>();
        for (HostEntry e : table.entries()) {
            HostCounters c = e.counters();
            List<Meter> meters = hostMeters.remove(c);
            if (meters == null) {
                meters = register(e);
            }
            keep.put(c, meters);
        }
        for (List<Meter> gone : hostMeters.values()) {
            for (Meter m : gone) {
                registry.remove(m);
            }
        }
        hostMeters.clear();
        hostMeters.putAll(keep);
        seen = table;
    }

    private List<Meter> register(HostEntry e) {
        HostCounters c = e.counters();
        Tags tags = Tags.of("entry", e.match().toString());
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder("tunecho.host.requests", c, HostCounters::requests).tags(tags)
                .description("Requests to a host entry's addresses").register(registry));
        meters.add(FunctionCounter.builder("tunecho.host.replies", c, HostCounters::replies).tags(tags)
                .description("Replies from a host entry's addresses").register(registry));
        meters.add(FunctionCounter.builder("tunecho.host.icmp.errors", c, HostCounters::errors).tags(tags)
                .description("ICMP errors sent for a host entry's addresses (unreachable, time exceeded)")
                .register(registry));
        for (HostCounters.Drop d : HostCounters.Drop.values()) {
            meters.add(FunctionCounter.builder("tunecho.host.dropped", c, x -> x.dropped(d))
                    .tags(tags.and("reason", d.metricName())).description("Requests a host entry dropped, by reason")
                    .register(registry));
        }
        meters.add(FunctionCounter.builder("tunecho.host.probes", c, HostCounters::probes).tags(tags)
                .description("Probes (echo requests, TCP SYNs, UDP datagrams) to a host entry's addresses")
                .register(registry));
        meters.add(Gauge.builder("tunecho.host.addresses", coverage, x -> x.addresses(c)).tags(tags)
                .description("Addresses a host entry answers").register(registry));
        meters.add(Gauge.builder("tunecho.host.addresses.never.probed", coverage, x -> x.neverProbed(c)).tags(tags)
                .description("Addresses of a host entry never probed (or forgotten by the probe table)")
                .register(registry));
        meters.add(Gauge.builder("tunecho.host.addresses.not.probed", coverage, x -> x.notProbed(c)).tags(tags)
                .description("Addresses of a host entry not probed within probes.coverage (never probed included)")
                .register(registry));
        meters.add(Gauge.builder("tunecho.host.last.probed", c, x -> x.lastProbedMillis() / 1000.0).tags(tags)
                .baseUnit("seconds").description("When a host entry's address was last probed (Unix time)")
                .strongReference(true).register(registry));
        return meters;
    }
}
