package io.tunecho.config;

import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.transport.TunChannelConfig;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.Mtu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of tunecho, each defined once. {@code config/tunecho.yaml} documents them (a test checks that every
 * key below is there); the loader accepts exactly these keys, grouped in sections by the part of the key before
 * the last dot.
 */
public final class Settings {
    public static final int MAX_QUEUES = 64;
    /** Chosen by measurement: see config/tunecho.yaml. */
    public static final int DEFAULT_TXQUEUELEN = 1000;

    public static final Setting<String> INTERFACE_NAME = Setting.define("interface.name", ValueTypes.interfaceName())
            .option("--interface", "NAME")
            .defaultValue("tun0")
            .help("interface to create or attach to")
            .restartOnly()
            .build();

    public static final Setting<IpCidr> INTERFACE_ADDRESS = Setting.define("interface.address",
                    ValueTypes.ipv4InterfaceAddress())
            .option("--address", "CIDR")
            .defaultValue(IpCidr.parse("198.18.0.1/24"))
            .help("the kernel's IPv4 address and prefix on the interface")
            .restartOnly()
            .build();

    public static final Setting<IpCidr> INTERFACE_ADDRESS6 = Setting.define("interface.address6",
                    ValueTypes.ipv6InterfaceAddress())
            .option("--address6", "CIDR")
            .defaultText("none: IPv4 only")
            .help("the kernel's IPv6 address and prefix on the interface; its subnet is answered too")
            .restartOnly()
            .build();

    public static final Setting<Integer> INTERFACE_MTU = Setting.define("interface.mtu",
                    ValueTypes.integer(Mtu.MIN, Mtu.MAX, "an MTU of "))
            .option("--mtu", "N")
            .defaultValue(1500)
            .help("interface MTU")
            .restartOnly()
            .build();

    public static final Setting<Integer> INTERFACE_QUEUES = Setting.define("interface.queues",
                    ValueTypes.integer(1, MAX_QUEUES, ""))
            .option("--queues", "N")
            .defaultValue(1)
            .help("queues of the TUN device, each read on its own thread")
            .restartOnly()
            .build();

    public static final Setting<Integer> INTERFACE_TXQUEUELEN = Setting.define("interface.txqueuelen",
                    ValueTypes.integer(1, TunChannelConfig.MAX_TX_QUEUE_LENGTH, ""))
            .option("--txqueuelen", "N")
            .defaultValue(DEFAULT_TXQUEUELEN)
            .help("packets the kernel queues for tunecho before it drops (the interface's txqueuelen)")
            .restartOnly()
            .build();

    public static final Setting<Boolean> INTERFACE_RECREATE = Setting.define("interface.recreate", ValueTypes.bool())
            .defaultValue(false)
            .help("when the interface is deleted under tunecho, create it again (every second until it can) instead "
                    + "of stopping with exit code 1")
            .restartOnly()
            .build();

    public static final Setting<Transport> TRANSPORT = Setting.define("transport", ValueTypes.choice(Transport.class))
            .option("--transport", "T")
            .defaultValue(Transport.AUTO)
            .help("how the event loops do I/O; auto: io_uring where the kernel allows it and has multishot reads "
                    + "(Linux 6.7+), else epoll, saying why")
            .restartOnly()
            .build();

    public static final Setting<List<IpCidr>> ANSWER = Setting.define("answer", ValueTypes.listOf(ValueTypes.cidr()))
            .option("--answer", "CIDR[,CIDR...]")
            .defaultText("the interface's subnet except its own address")
            .help("addresses and CIDRs to answer")
            .build();

    public static final Setting<Map<String, HostSettings>> PROFILES = Setting.define("profiles",
                    HostKeys.profilesType())
            .defaultText("none: every host behaves as Linux does (ttl 64, no delay, no loss)")
            .help("named sets of host behaviour; 'default' applies to every answered address")
            .build();

    public static final Setting<List<HostSpec>> HOSTS = Setting.define("hosts", HostKeys.hostsType())
            .defaultText("none")
            .help("entries with their own profile, settings and timeline, by address or prefix")
            .build();

    public static final Setting<Long> SEED = Setting.define("seed", ValueTypes.longInteger())
            .option("--seed", "N")
            .defaultText("a new one each run")
            .help("seed of the random decisions (loss, jitter, duplicates): the same seed gives the same decisions")
            .restartOnly()
            .build();

    public static final Setting<Integer> MAX_DELAYED = Setting.define("max-delayed",
                    ValueTypes.integer(1, 10_000_000, ""))
            .defaultValue(ResponderPipeline.Builder.DEFAULT_MAX_DELAYED)
            .help("delayed replies held at most, per queue; more are dropped and counted")
            .restartOnly()
            .build();

    public static final Setting<String> USER = Setting.define("user", ValueTypes.userName())
            .option("--user", "NAME")
            .defaultText("none: keep running as the user that started it")
            .help("once the interface is set up, drop to this user and its group, without any capability")
            .restartOnly()
            .build();

    public static final Setting<Double> LIMITS_REPLIES = Setting.define("limits.replies-per-second",
                    ValueTypes.rate())
            .defaultText("none: no limit")
            .help("the most answers per second in all (a token bucket, like the kernel's icmp_msgs_per_sec); the "
                    + "excess is dropped and counted")
            .restartOnly()
            .build();

    public static final Setting<Double> LIMITS_REPLIES_PER_SOURCE = Setting.define("limits.replies-per-source",
                    ValueTypes.rate())
            .defaultText("none: no limit")
            .help("the most answers per second to one source address; the excess is dropped and counted")
            .restartOnly()
            .build();

    public static final Setting<String> HTTP_ADDRESS = Setting.define("http.address", ValueTypes.listenAddress())
            .defaultValue("127.0.0.1")
            .help("the address the HTTP server (admin API, metrics, lab page) listens on")
            .restartOnly()
            .build();

    public static final Setting<Integer> HTTP_PORT = Setting.define("http.port", ValueTypes.integer(1, 65535, ""))
            .defaultText("none: no HTTP server")
            .help("the HTTP server's port; setting it turns the server on")
            .restartOnly()
            .build();

    public static final Setting<String> HTTP_TOKEN = Setting.define("http.token", ValueTypes.token())
            .defaultText("none")
            .help("the bearer token every /api request needs (Authorization: Bearer TOKEN)")
            .restartOnly()
            .build();

    public static final Setting<Boolean> HTTP_ALLOW_OPEN = Setting.define("http.allow-open", ValueTypes.bool())
            .defaultValue(false)
            .help("listen on an address other than loopback without a token (anyone who reaches it can change hosts)")
            .restartOnly()
            .build();

    public static final Setting<Boolean> HTTP_PROTECT_METRICS = Setting.define("http.protect-metrics",
                    ValueTypes.bool())
            .defaultValue(false)
            .help("ask for the token on /metrics and /health too")
            .restartOnly()
            .build();

    public static final Setting<java.nio.file.Path> CAPTURE_FILE = Setting.define("capture.file", ValueTypes.path())
            .option("--capture", "FILE")
            .defaultText("none: no capture")
            .help("write what tunecho reads and writes to a pcap file (tcpdump -r, Wireshark)")
            .restartOnly()
            .build();

    public static final Setting<Long> CAPTURE_MAX_SIZE = Setting.define("capture.max-size", ValueTypes.size())
            .defaultValue(100L * 1024 * 1024)
            .defaultText("100MB")
            .help("the capture stops when its file reaches this size")
            .restartOnly()
            .build();

    public static final Setting<java.nio.file.Path> EVENTS_FILE = Setting.define("events.file", ValueTypes.path())
            .defaultText("none")
            .help("append every change of host behaviour to this file, one JSON object per line")
            .restartOnly()
            .build();

    public static final Setting<Integer> EVENTS_KEEP = Setting.define("events.keep",
                    ValueTypes.integer(1, 1_000_000, ""))
            .defaultValue(1000)
            .help("how many recent changes GET /api/events keeps")
            .restartOnly()
            .build();

    public static final Setting<LogFormat> LOG_FORMAT = Setting.define("log.format", ValueTypes.choice(LogFormat.class))
            .defaultValue(LogFormat.TEXT)
            .help("the log's format: text (readable lines) or json (one JSON object per line, logback's JsonEncoder)")
            .restartOnly()
            .build();

    public static final Setting<Long> LOG_SUMMARY_INTERVAL = Setting.define("log.summary-interval",
                    ValueTypes.duration())
            .defaultText("none")
            .help("log a summary line of the counters this often")
            .restartOnly()
            .build();

    public static final Setting<Integer> PROBES_MAX_ADDRESSES = Setting.define("probes.max-addresses",
                    ValueTypes.integer(1, 10_000_000, ""))
            .defaultValue(ProbeTable.DEFAULT_MAX_ADDRESSES)
            .help("probed addresses tracked at most (GET /api/probes); past it, the least recently probed is "
                    + "forgotten and counted")
            .restartOnly()
            .build();

    public static final Setting<Long> PROBES_COVERAGE = Setting.define("probes.coverage", ValueTypes.duration())
            .defaultValue(60_000_000_000L)
            .help("an address not probed for this long counts as not covered (the metric "
                    + "tunecho_host_addresses_not_probed)")
            .restartOnly()
            .build();

    public static final Setting<ScenarioSpec> SCENARIO = Setting.define("scenario", ScenarioKeys.type())
            .defaultText("none")
            .help("steps that change hosts on a schedule and what each expects of the monitoring (alerts, probes); "
                    + "a reload does not restart a running scenario, POST /api/scenario/restart does")
            .build();

    /** Every setting, in the order of the help text and the config file. */
    public static final List<Setting<?>> ALL = List.of(INTERFACE_NAME, INTERFACE_ADDRESS, INTERFACE_ADDRESS6,
            INTERFACE_MTU, INTERFACE_QUEUES, INTERFACE_TXQUEUELEN, INTERFACE_RECREATE, TRANSPORT, ANSWER, PROFILES,
            HOSTS, SEED, MAX_DELAYED, USER, LIMITS_REPLIES, LIMITS_REPLIES_PER_SOURCE, HTTP_ADDRESS, HTTP_PORT, HTTP_TOKEN,
            HTTP_ALLOW_OPEN, HTTP_PROTECT_METRICS, CAPTURE_FILE, CAPTURE_MAX_SIZE, EVENTS_FILE, EVENTS_KEEP,
            LOG_FORMAT, LOG_SUMMARY_INTERVAL, PROBES_MAX_ADDRESSES, PROBES_COVERAGE, SCENARIO);

    /**
     * Options that set more than one setting: {@code --http ADDR:PORT} sets {@code http.address} and
     * {@code http.port}.
     */
    static final String HTTP_OPTION = "--http";
    /** Sets {@code scenario} from a file of its own. */
    static final String SCENARIO_OPTION = "--scenario";

    private Settings() {
    }

    /** The setting with this command-line option, or {@code null}. */
    static Setting<?> byOption(String option) {
        for (Setting<?> s : ALL) {
            if (option.equals(s.option())) {
                return s;
            }
        }
        return null;
    }

    /** The keys of a section, in order: settings by their name, subsections by theirs. */
    static Map<String, Object> section(String section) {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (Setting<?> s : ALL) {
            String sec = s.section();
            if (sec.equals(section)) {
                keys.put(s.name(), s);
            } else if (sec.startsWith(section.isEmpty() ? "" : section + ".")) {
                String rest = section.isEmpty() ? sec : sec.substring(section.length() + 1);
                String sub = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
                keys.putIfAbsent(sub, section.isEmpty() ? sub : section + "." + sub);
            }
        }
        return keys;
    }

    /** The command-line options, in order. */
    static List<Setting<?>> options() {
        List<Setting<?>> options = new ArrayList<>();
        for (Setting<?> s : ALL) {
            if (s.option() != null) {
                options.add(s);
            }
        }
        return options;
    }
}
