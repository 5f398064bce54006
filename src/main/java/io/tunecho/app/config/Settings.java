package io.tunecho.app.config;

import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.transport.TunChannelConfig;
import io.tunecho.wire.IpCidr;

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
    public static final int DEFAULT_MAX_DELAYED = 10_000;

    public static final Setting<String> INTERFACE_NAME = Setting.define("interface.name", ValueTypes.interfaceName())
            .option("--interface", "NAME")
            .defaultValue("tun0")
            .help("interface to create or attach to")
            .build();

    public static final Setting<IpCidr> INTERFACE_ADDRESS = Setting.define("interface.address",
                    ValueTypes.ipv4InterfaceAddress())
            .option("--address", "CIDR")
            .defaultValue(IpCidr.parse("198.18.0.1/24"))
            .help("the kernel's IPv4 address and prefix on the interface")
            .build();

    public static final Setting<Integer> INTERFACE_MTU = Setting.define("interface.mtu",
                    ValueTypes.integer(TunChannelConfig.MIN_MTU, TunChannelConfig.MAX_MTU, "an MTU of "))
            .option("--mtu", "N")
            .defaultValue(1500)
            .help("interface MTU")
            .build();

    public static final Setting<Integer> INTERFACE_QUEUES = Setting.define("interface.queues",
                    ValueTypes.integer(1, MAX_QUEUES, ""))
            .option("--queues", "N")
            .defaultValue(1)
            .help("queues of the TUN device, each read on its own thread")
            .build();

    public static final Setting<Transport> TRANSPORT = Setting.define("transport", ValueTypes.choice(Transport.class))
            .option("--transport", "T")
            .defaultValue(Transport.EPOLL)
            .help("how the event loops do I/O (falls back to epoll where io_uring is missing)")
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
            .build();

    public static final Setting<Integer> MAX_DELAYED = Setting.define("max-delayed",
                    ValueTypes.integer(1, 10_000_000, ""))
            .defaultValue(DEFAULT_MAX_DELAYED)
            .help("delayed replies held at most, per queue; more are dropped and counted")
            .build();

    /** Every setting, in the order of the help text and the config file. */
    public static final List<Setting<?>> ALL = List.of(INTERFACE_NAME, INTERFACE_ADDRESS, INTERFACE_MTU,
            INTERFACE_QUEUES, TRANSPORT, ANSWER, PROFILES, HOSTS, SEED, MAX_DELAYED);

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
