package io.tunecho.config;

import io.tunecho.config.ScenarioSpec.Expectation;
import io.tunecho.config.ScenarioSpec.Kind;
import io.tunecho.config.ScenarioSpec.Step;
import io.tunecho.hosts.Durations;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.wire.IpCidr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@code scenario:} mapping into a {@link ScenarioSpec}, strictly, as the rest of the config file is read:
 * unknown keys, bad values and contradictions are errors that name the file, the line and the fix. A step's host
 * settings are read by {@link HostKeys}, as a hosts entry's are. What depends on other settings (the profiles that
 * hosts entries use, the interface's addresses, steps that set the same addresses at once) is checked by
 * {@link #check}, when the whole configuration is known.
 */
public final class ScenarioKeys {
    static final String SCENARIO = "scenario";
    /** The most addresses a {@code probed} expectation watches (a /16): each is looked at a few times a second. */
    public static final int MAX_PROBED_ADDRESSES = 65_536;

    private static final List<String> KEYS = List.of("name", "steps", "end", "report", "exit");
    private static final List<String> STEP_KEYS = List.of("at", "match", "for", "expect");
    private static final List<String> EXPECT_KEYS = List.of("alert", "resolve", "no-alert", "probed");
    private static final Pattern ADDRESS_LIKE = Pattern.compile("[0-9.]+(/.*)?|.*[:/].*");
    private static final ValueType<Long> DURATION = ValueTypes.duration();
    private static final String DEFAULT_NAME = "scenario";

    private ScenarioKeys() {
    }

    /** The type of the {@code scenario} setting. */
    static ValueType<ScenarioSpec> type() {
        return ValueType.ofTree("a mapping of name, steps, end, report, exit", ScenarioKeys::read);
    }

    /**
     * Reads {@code --scenario FILE}: the file holds what {@code scenario:} holds in the config file, either at its
     * top level or under a {@code scenario:} key of its own.
     */
    public static ScenarioSpec load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("cannot read scenario " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException("cannot read scenario " + file + ": " + e.getMessage());
        }
        ConfigNode root = YamlTree.parse(text, file.toString());
        if (root == null || root instanceof ConfigNode.Scalar s && s.isNull()) {
            throw new ConfigException(file + ": the scenario file is empty; give name, steps, ...");
        }
        if (root instanceof ConfigNode.Mapping m && m.entries().containsKey(SCENARIO)) {
            if (m.entries().size() > 1) {
                String other = m.entries().keySet().stream().filter(k -> !k.equals(SCENARIO)).findFirst().get();
                throw new ConfigException(m.whereKey(other) + "unknown key '" + other + "' beside scenario (a "
                        + "scenario file holds the scenario's keys, or a scenario: key alone)");
            }
            root = m.entries().get(SCENARIO);
        }
        ConfigNode scenario = root;
        return TraceFiles.from(file, () -> read(scenario, SCENARIO)); // a step's trace file: beside the scenario
    }

    static ScenarioSpec read(ConfigNode node, String label) throws ConfigException {
        if (node instanceof ConfigNode.Scalar s && s.isNull()) {
            return null; // "scenario:" with nothing under it: none
        }
        ConfigNode.Mapping m = mapping(node, label, String.join(", ", KEYS));
        checkKeys(m, label, KEYS);
        String name = DEFAULT_NAME;
        if (m.entries().containsKey("name")) {
            name = ValueTypes.word().read(m.entries().get("name"), label + ".name");
        }
        ConfigNode stepsNode = m.entries().get("steps");
        if (!(stepsNode instanceof ConfigNode.Sequence seq) || seq.items().isEmpty()) {
            throw new ConfigException((stepsNode == null ? m.where() : stepsNode.where()) + label + ".steps must be "
                    + "a list of steps, each {at: DURATION, match: ADDRESS|CIDR|PROFILE, for: DURATION, SETTINGS..., "
                    + "expect: {...}}", label + ".steps");
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            steps.add(step(seq.items().get(i), label + ".steps[" + i + "]", i + 1));
        }
        Long end = null;
        if (m.entries().containsKey("end")) {
            ConfigNode e = m.entries().get("end");
            end = positive(e, label + ".end");
            for (Step s : steps) {
                if (s.atNanos() >= end) {
                    throw new ConfigException(s.source() + ": " + label + ".steps[" + (s.number() - 1) + "] starts at "
                            + Durations.format(s.atNanos()) + ", not before end " + Durations.format(end)
                            + " (" + source(e, label) + "): make end later or the step earlier");
                }
                checkWindowsWithin(s, end, source(e, label), label);
            }
        }
        Path report = null;
        if (m.entries().containsKey("report")) {
            report = ValueTypes.path().read(m.entries().get("report"), label + ".report");
        }
        boolean exit = m.entries().containsKey("exit")
                && ValueTypes.bool().read(m.entries().get("exit"), label + ".exit");
        return new ScenarioSpec(name, steps, end, report, exit, source(node, label));
    }

    private static Step step(ConfigNode node, String label, int number) throws ConfigException {
        HostSettings settings = HostKeys.readSettings(node, label, STEP_KEYS);
        ConfigNode.Mapping m = (ConfigNode.Mapping) node;
        long at = DURATION.read(required(m, "at", label), label + ".at");
        ConfigNode matchNode = required(m, "match", label);
        String match = text(matchNode, label + ".match");
        IpCidr prefix = null;
        if (ADDRESS_LIKE.matcher(match).matches()) {
            prefix = ValueTypes.cidr().read(matchNode, label + ".match").subnet();
            match = prefix.isSingleAddress() ? prefix.addressText() : prefix.toString();
        } else {
            ValueTypes.word().read(matchNode, label + ".match");
        }
        Long forNanos = m.entries().containsKey("for") ? positive(m.entries().get("for"), label + ".for") : null;
        List<Expectation> expect = List.of();
        ConfigNode e = m.entries().get("expect");
        if (e != null) {
            expect = expectations(e, label + ".expect", forNanos, node.where());
        }
        if (expect.isEmpty() && settings.equals(HostSettings.EMPTY)) {
            throw new ConfigException(node.where() + label + " does nothing: give it host settings (state: down, "
                    + "delay: 200ms, loss: 5%, ...) or expectations (expect: {alert: 90s, ...})", label);
        }
        return new Step(number, at, match, prefix, settings, forNanos, expect, source(node, label));
    }

    private static List<Expectation> expectations(ConfigNode node, String label, Long forNanos, String stepWhere)
            throws ConfigException {
        ConfigNode.Mapping m = mapping(node, label, String.join(", ", EXPECT_KEYS));
        checkKeys(m, label, EXPECT_KEYS);
        if (m.entries().isEmpty()) {
            throw new ConfigException(node.where() + label + " is empty: give alert, resolve, no-alert or probed, "
                    + "or leave expect out", label);
        }
        List<Expectation> list = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            ConfigNode v = m.entries().get(kind.key());
            if (v == null) {
                continue;
            }
            String name = label + "." + kind.key();
            long limit;
            if (kind == Kind.NO_ALERT && v instanceof ConfigNode.Scalar s && !s.isNull()
                    && (s.text().trim().equals("true") || s.text().trim().equals("false"))) {
                if (s.text().trim().equals("false")) {
                    throw new ConfigException(v.where() + name + " false means nothing; give a duration (no alert "
                            + "until that long after the step's end) or true (while the step lasts), or leave it out",
                            name);
                }
                limit = 0;
            } else {
                limit = positive(v, name);
            }
            boolean needsFor = kind == Kind.RESOLVE || kind == Kind.NO_ALERT || kind == Kind.PROBED;
            if (needsFor && forNanos == null) {
                throw new ConfigException(v.where() + name + " needs the step to end: give the step a 'for' ("
                        + switch (kind) {
                            case RESOLVE -> "the time to resolve counts from the step's end";
                            case NO_ALERT -> "the window closes after the step's end";
                            default -> "addresses are watched while the step lasts";
                        } + ")", name);
            }
            if (kind == Kind.RESOLVE && !m.entries().containsKey(Kind.ALERT.key())) {
                throw new ConfigException(v.where() + name + " needs an alert expectation in the same step (the "
                        + "alerts that fire for the step are those that must resolve): add alert: DURATION", name);
            }
            list.add(new Expectation(kind, limit));
        }
        if (list.stream().anyMatch(x -> x.kind() == Kind.NO_ALERT)
                && list.stream().anyMatch(x -> x.kind() == Kind.ALERT)) {
            throw new ConfigException(stepWhere + label + " expects an alert and no alert at once: keep one of them",
                    label);
        }
        return list;
    }

    /** A scenario's windows that close at a fixed time (no-alert, probed) must close by its {@code end}. */
    private static void checkWindowsWithin(Step s, long end, String endWhere, String label) throws ConfigException {
        for (Expectation x : s.expect()) {
            long closes;
            if (x.kind() == Kind.NO_ALERT) {
                closes = s.endNanos() + x.limitNanos();
            } else if (x.kind() == Kind.PROBED) {
                closes = s.endNanos();
            } else {
                continue;
            }
            if (closes > end) {
                throw new ConfigException(s.source() + ": " + label + ".steps[" + (s.number() - 1) + "]'s " + x
                        + " is decided at " + Durations.format(closes) + ", after end " + Durations.format(end)
                        + " (" + endWhere + "): make end later or the step shorter");
            }
        }
    }

    /**
     * Checks what a scenario shares with the rest of the configuration: a profile it names must be used by hosts
     * entries, its addresses must be of the interface's families and not the interface's own, a {@code probed}
     * expectation watches a bounded number of addresses, and no two steps set the same address at the same time.
     */
    static void check(ScenarioSpec spec, TunechoConfig config) throws ConfigException {
        List<HostSpec> hosts = config.hosts();
        String label = SCENARIO;
        for (Step s : spec.steps()) {
            List<IpCidr> prefixes = s.prefixes(hosts);
            String where = s.source() + ": " + label + ".steps[" + (s.number() - 1) + "].match";
            if (prefixes.isEmpty()) {
                Set<String> used = new LinkedHashSet<>();
                hosts.forEach(h -> used.add(h.profile() == null ? "default" : h.profile()));
                throw new ConfigException(where + " '" + s.match() + "' is not an address, a CIDR or a profile that "
                        + "hosts entries use" + (used.isEmpty() ? " (no hosts entry names a profile)"
                        : " (profiles of hosts entries: " + String.join(", ", used) + ")"), "match");
            }
            long probedAddresses = 0;
            for (IpCidr p : prefixes) {
                if (p.isIpv6() && config.interfaceAddress6() == null) {
                    throw new ConfigException(where + " " + p + " is IPv6: give the interface an IPv6 address too "
                            + "(interface.address6, --address6)", "match");
                }
                if (p.isSingleAddress() && (p.equals(config.interfaceAddress().address())
                        || config.interfaceAddress6() != null && p.equals(config.interfaceAddress6().address()))) {
                    throw new ConfigException(where + " " + p.addressText() + " is the interface's own address (the "
                            + "kernel answers it, not tunecho): give a host's address", "match");
                }
                probedAddresses += 1L << Math.min(40, p.maxPrefixLength() - p.prefixLength());
            }
            if (s.expect().stream().anyMatch(x -> x.kind() == Kind.PROBED)
                    && probedAddresses > MAX_PROBED_ADDRESSES) {
                throw new ConfigException(where + " '" + s.match() + "' holds more than " + MAX_PROBED_ADDRESSES
                        + " addresses, too many for probed: split the step, or watch a part of it", "match");
            }
        }
        checkOverlaps(spec, hosts, label);
    }

    /** Two steps that set hosts may not set the same address during the same time: which would win is unclear. */
    private static void checkOverlaps(ScenarioSpec spec, List<HostSpec> hosts, String label) throws ConfigException {
        List<Step> setting = spec.steps().stream().filter(Step::setsHosts).toList();
        for (int i = 0; i < setting.size(); i++) {
            Step a = setting.get(i);
            for (int j = i + 1; j < setting.size(); j++) {
                Step b = setting.get(j);
                if (a.atNanos() >= b.endNanos() || b.atNanos() >= a.endNanos()) {
                    continue;
                }
                IpCidr shared = shared(a.prefixes(hosts), b.prefixes(hosts));
                if (shared != null) {
                    throw new ConfigException(a.source() + ": " + label + " step " + a.number() + " (" + a.match()
                            + ", " + span(a) + ") and " + b.source() + ": step " + b.number() + " (" + b.match() + ", "
                            + span(b) + ") both set " + (shared.isSingleAddress() ? shared.addressText() : shared)
                            + " at the same time: give them different times or addresses", "steps");
                }
            }
        }
    }

    /** The smaller of the first two prefixes that overlap, or {@code null}. */
    private static IpCidr shared(List<IpCidr> a, List<IpCidr> b) {
        for (IpCidr x : a) {
            for (IpCidr y : b) {
                if (x.contains(y)) {
                    return y;
                }
                if (y.contains(x)) {
                    return x;
                }
            }
        }
        return null;
    }

    private static String span(Step s) {
        return Durations.format(s.atNanos()) + ".." + (s.forNanos() == null ? "the end"
                : Durations.format(s.endNanos()));
    }

    private static long positive(ConfigNode node, String name) throws ConfigException {
        long nanos = DURATION.read(node, name);
        if (nanos <= 0) {
            throw new ConfigException(node.where() + name + " must be longer than 0", name);
        }
        return nanos;
    }

    private static String text(ConfigNode node, String name) throws ConfigException {
        if (!(node instanceof ConfigNode.Scalar s) || s.isNull()) {
            throw new ConfigException(node.where() + name + " must be an address, a CIDR or a profile name, not "
                    + (node instanceof ConfigNode.Scalar ? "empty" : node.kind()), name);
        }
        return s.text().trim();
    }

    private static String source(ConfigNode node, String label) {
        String where = node.where();
        return where.endsWith(": ") ? where.substring(0, where.length() - 2) : label;
    }

    private static ConfigNode.Mapping mapping(ConfigNode node, String label, String keys) throws ConfigException {
        if (!(node instanceof ConfigNode.Mapping m)) {
            throw new ConfigException(node.where() + label + " must be a mapping of " + keys + ", not " + node.kind(),
                    label);
        }
        return m;
    }

    private static ConfigNode required(ConfigNode.Mapping m, String key, String label) throws ConfigException {
        ConfigNode v = m.entries().get(key);
        if (v == null) {
            throw new ConfigException(m.where() + label + " needs '" + key + "'", label + "." + key);
        }
        return v;
    }

    private static void checkKeys(ConfigNode.Mapping m, String label, List<String> known) throws ConfigException {
        for (Map.Entry<String, ConfigNode> e : m.entries().entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new ConfigException(m.whereKey(e.getKey()) + "unknown key '" + e.getKey() + "' in " + label
                        + " (known keys: " + String.join(", ", known) + ")", label + "." + e.getKey());
            }
        }
    }
}
