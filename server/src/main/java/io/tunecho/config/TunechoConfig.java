package io.tunecho.config;

import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.wire.IpCidr;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * tunecho's settings after defaults, file and command line: a value for each {@link Setting} that was given, with
 * where it was given (so that a message about it says {@code --address} or {@code tunecho.yaml:4: interface.address},
 * as the user wrote it), and the built-in default for the rest. Immutable.
 */
public final class TunechoConfig {
    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, String> labels;

    private TunechoConfig(Map<Setting<?>, Object> values, Map<Setting<?>, String> labels) {
        this.values = Collections.unmodifiableMap(values);
        this.labels = Collections.unmodifiableMap(labels);
    }

    /** Every setting at its default. */
    public static TunechoConfig defaults() {
        return new TunechoConfig(new HashMap<>(), new HashMap<>());
    }

    /** The setting's value: as given, or its default ({@code null} for a setting without one). */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        Object v = values.get(setting);
        return v != null ? (T) v : setting.defaultValue();
    }

    /** Whether the setting was given (in the file or on the command line) rather than left at its default. */
    public boolean isSet(Setting<?> setting) {
        return values.containsKey(setting);
    }

    /** How a message names the setting: as given ({@code --mtu}, {@code file:3: interface.mtu}), or by its key. */
    public String label(Setting<?> setting) {
        return labels.getOrDefault(setting, setting.key());
    }

    /** A copy with {@code setting} set to {@code value}, given at {@code label}. */
    public <T> TunechoConfig with(Setting<T> setting, T value, String label) {
        Map<Setting<?>, Object> v = new HashMap<>(values);
        Map<Setting<?>, String> l = new HashMap<>(labels);
        v.put(setting, value);
        l.put(setting, label);
        return new TunechoConfig(v, l);
    }

    public String interfaceName() {
        return get(Settings.INTERFACE_NAME);
    }

    public IpCidr interfaceAddress() {
        return get(Settings.INTERFACE_ADDRESS);
    }

    /** The kernel's IPv6 address and prefix on the interface, or {@code null}. */
    public IpCidr interfaceAddress6() {
        return get(Settings.INTERFACE_ADDRESS6);
    }

    public int mtu() {
        return get(Settings.INTERFACE_MTU);
    }

    public int queues() {
        return get(Settings.INTERFACE_QUEUES);
    }

    public int txQueueLength() {
        return get(Settings.INTERFACE_TXQUEUELEN);
    }

    /** Whether an interface deleted under tunecho is created again. */
    public boolean recreateInterface() {
        return get(Settings.INTERFACE_RECREATE);
    }

    public Transport transport() {
        return get(Settings.TRANSPORT);
    }

    /** The prefixes to answer as configured; empty means the interface's subnet. */
    public List<IpCidr> answer() {
        List<IpCidr> answer = get(Settings.ANSWER);
        return answer == null ? List.of() : answer;
    }

    public Map<String, HostSettings> profiles() {
        Map<String, HostSettings> p = get(Settings.PROFILES);
        return p == null ? Map.of() : p;
    }

    public List<HostSpec> hosts() {
        List<HostSpec> h = get(Settings.HOSTS);
        return h == null ? List.of() : h;
    }

    /** The seed of random decisions, or {@code null} for a new one each run. */
    public Long seed() {
        return get(Settings.SEED);
    }

    public int maxDelayed() {
        return get(Settings.MAX_DELAYED);
    }

    /** The user to drop to after start-up, or {@code null}. */
    public String user() {
        return get(Settings.USER);
    }

    /** The most answers per second in all, or {@code null} for no limit. */
    public Double repliesPerSecond() {
        return get(Settings.LIMITS_REPLIES);
    }

    /** The most answers per second to one source, or {@code null} for no limit. */
    public Double repliesPerSource() {
        return get(Settings.LIMITS_REPLIES_PER_SOURCE);
    }

    /** The HTTP server's port, or {@code null} when it is off. */
    public Integer httpPort() {
        return get(Settings.HTTP_PORT);
    }

    public String httpAddress() {
        return get(Settings.HTTP_ADDRESS);
    }

    public String httpToken() {
        return get(Settings.HTTP_TOKEN);
    }

    public boolean httpProtectMetrics() {
        return get(Settings.HTTP_PROTECT_METRICS);
    }

    public java.nio.file.Path captureFile() {
        return get(Settings.CAPTURE_FILE);
    }

    public long captureMaxSize() {
        return get(Settings.CAPTURE_MAX_SIZE);
    }

    public java.nio.file.Path eventsFile() {
        return get(Settings.EVENTS_FILE);
    }

    public int eventsKeep() {
        return get(Settings.EVENTS_KEEP);
    }

    public LogFormat logFormat() {
        return get(Settings.LOG_FORMAT);
    }

    /** Nanoseconds between summary lines, or {@code null} for none. */
    public Long logSummaryInterval() {
        return get(Settings.LOG_SUMMARY_INTERVAL);
    }

    /** The most probed addresses tracked at once. */
    public int probesMaxAddresses() {
        return get(Settings.PROBES_MAX_ADDRESSES);
    }

    /** Nanoseconds without a probe after which an address counts as not covered. */
    public long probesCoverage() {
        return get(Settings.PROBES_COVERAGE);
    }

    /** The scenario to run, or {@code null}. */
    public ScenarioSpec scenario() {
        return get(Settings.SCENARIO);
    }

    /** What the host table is built from. */
    public HostConfig hostConfig() {
        return new HostConfig(interfaceAddress(), interfaceAddress6(), answer(), profiles(), hosts());
    }

    /** Checks the rules that span settings; messages name each setting as it was given. */
    public void validate() throws ConfigException {
        IpCidr a = interfaceAddress();
        if (a.prefixLength() == 32 && answer().isEmpty()) {
            throw new ConfigException(label(Settings.INTERFACE_ADDRESS) + " " + a + " is a /32: its subnet holds no "
                    + "other address to answer; give a shorter prefix or an 'answer' list");
        }
        for (IpCidr p : answer()) {
            if (p.isIpv6() && interfaceAddress6() == null) {
                throw new ConfigException(label(Settings.ANSWER) + " " + p + " is IPv6: give the interface an IPv6 "
                        + "address too (interface.address6, --address6)", Settings.ANSWER.key());
            }
        }
        for (HostSpec h : hosts()) {
            if (h.match().isIpv6() && interfaceAddress6() == null) {
                throw new ConfigException(h.source() + ": hosts: " + h.match() + " is IPv6: give the interface an IPv6 "
                        + "address too (interface.address6, --address6)", "hosts");
            }
        }
        HostKeys.checkProfiles(hosts(), profiles(), "hosts");
        if (scenario() != null) {
            ScenarioKeys.check(scenario(), this);
        }
        if (httpPort() != null && httpToken() == null && !get(Settings.HTTP_ALLOW_OPEN)
                && !isLoopback(httpAddress())) {
            throw new ConfigException(label(Settings.HTTP_ADDRESS) + " " + httpAddress() + " is not a loopback address "
                    + "and http.token is not set: anyone who reaches it could change the hosts; set http.token, or "
                    + "http.allow-open: true if that is what you want");
        }
    }

    private static boolean isLoopback(String address) {
        IpCidr a = IpCidr.parse(address);
        return a.isIpv4() ? (a.ipv4Address() >>> 24) == 127 : a.high() == 0 && a.low() == 1;
    }

    /** The settings that differ from the defaults, {@code key=value}, for logs and tests. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TunechoConfig{");
        for (Setting<?> s : Settings.ALL) {
            if (values.containsKey(s)) {
                sb.append(sb.length() > 14 ? ", " : "").append(s.key()).append('=').append(values.get(s));
            }
        }
        return sb.append('}').toString();
    }

    /** Equal when every setting has the same effective value, whether given or by default. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TunechoConfig)) {
            return false;
        }
        for (Setting<?> s : Settings.ALL) {
            if (!java.util.Objects.equals(get(s), ((TunechoConfig) o).get(s))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Setting<?> s : Settings.ALL) {
            h = h * 31 + java.util.Objects.hashCode(get(s));
        }
        return h;
    }
}
