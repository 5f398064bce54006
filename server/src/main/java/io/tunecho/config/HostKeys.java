package io.tunecho.config;

import io.tunecho.hosts.Duplicates;
import io.tunecho.hosts.EchoIdFilter;
import io.tunecho.hosts.EchoIdentifier;
import io.tunecho.hosts.EchoSequence;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.Hop;
import io.tunecho.hosts.HopChoice;
import io.tunecho.hosts.JitterDistribution;
import io.tunecho.hosts.LateReplies;
import io.tunecho.hosts.LossModel;
import io.tunecho.hosts.PortSet;
import io.tunecho.hosts.TimelineSpec;
import io.tunecho.hosts.TtlChange;
import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of a host (in a profile, a {@code hosts} entry, a timeline step, or an admin API request), read from a
 * {@link ConfigNode}: {@link #KEYS} joins each {@link HostSetting} to the {@link ValueType} that reads it. The YAML
 * loader and the admin API read them through here, so both accept the same names and say the same things about bad
 * values.
 */
public final class HostKeys {
    /** A host setting with the type that reads its value. */
    record Key<T>(HostSetting<T> setting, ValueType<T> type) {
        String name() {
            return setting.key();
        }

        /** Reads the value of {@code node} into {@code b}; {@code label} names it in messages. */
        void read(ConfigNode node, String label, HostSettings.Builder b) throws ConfigException {
            b.set(setting, type.read(node, label));
        }
    }

    private static final ValueType<Double> PROBABILITY = ValueTypes.probability();
    private static final ValueType<Long> DURATION = ValueTypes.duration();
    private static final ValueType<Integer> DUPLICATE_COUNT = ValueTypes.integer(2, Duplicates.MAX_COUNT,
            "how many times in all, ");
    private static final ValueType<List<Integer>> TTLS = ValueTypes.listOf(ValueTypes.integer(1, 255, "a TTL "));
    private static final ValueType<List<Integer>> PORTS =
            ValueTypes.listOf(ValueTypes.integer(PortSet.MIN_PORT, PortSet.MAX_PORT, "a port "));

    private static final ValueType<LossModel> LOSS = ValueType.ofTree(
            "a probability (0.2 or 20%), or {p: P, r: R} for loss in bursts", HostKeys::readLoss);
    private static final ValueType<PortSet> TCP = ValueType.ofTree("{open: [PORT, ...]} with ports 1..65535",
            HostKeys::readTcp);
    private static final ValueType<IpCidr> ROUTER = ValueTypes.address();
    private static final ValueType<HopChoice> HOP_CHOICE = ValueTypes.choice(HopChoice.class);
    private static final ValueType<List<Hop>> HOPS = ValueType.ofTree("a list of hops, nearest first, each an "
            + "address or {any: [ADDRESS, ...], by: flow|packet|destination}", HostKeys::readHops);
    private static final ValueType<Double> RATE = ValueType.of("replies per second such as 10 or 0.5, 0 (answers "
            + "nothing) or none (no limit)", HostKeys::parseRate, HostSetting.RATE::format);
    private static final ValueType<Duplicates> DUPLICATES = ValueType.ofTree(
            "a probability (0.2 or 20%), or {p: P, count: N} for the reply sent N times (2.."
                    + Duplicates.MAX_COUNT + ")", HostKeys::readDuplicates);
    private static final ValueType<LateReplies> LATE = ValueType.ofTree("{p: PROBABILITY, by: DURATION}",
            HostKeys::readLate);
    private static final ValueType<TtlChange> TTL_CHANGE = ValueType.ofTree(
            "{every: DURATION, values: [TTL, ...]} with TTLs 1..255", HostKeys::readTtlChange);
    private static final ValueType<EchoIdFilter> ECHO_ID_FILTER = ValueType.ofTree(
            "{after: DURATION, idle: DURATION}", HostKeys::readEchoIdFilter);
    private static final ValueType<TimelineSpec> TIMELINE = ValueType.ofTree(
            "{repeat: true|false, steps: [{for: DURATION, SETTINGS...}, ...]}", HostKeys::readTimeline);

    /** Every host setting, in {@link HostSetting#ALL}'s order, with the type that reads it. */
    static final List<Key<?>> KEYS = List.of(
            new Key<>(HostSetting.STATE, ValueTypes.choice(HostState.class)),
            new Key<>(HostSetting.TTL, ValueTypes.integer(1, 255, "")),
            new Key<>(HostSetting.DELAY, DURATION),
            new Key<>(HostSetting.JITTER, DURATION),
            new Key<>(HostSetting.DISTRIBUTION, ValueTypes.choice(JitterDistribution.class)),
            new Key<>(HostSetting.P99, DURATION),
            new Key<>(HostSetting.TRACE, TraceFiles.TYPE),
            new Key<>(HostSetting.REORDER, ValueTypes.bool()),
            new Key<>(HostSetting.LOSS, LOSS),
            new Key<>(HostSetting.DUPLICATE, DUPLICATES),
            new Key<>(HostSetting.CORRUPT, PROBABILITY),
            new Key<>(HostSetting.RATE, RATE),
            new Key<>(HostSetting.GATEWAY, ValueTypes.address()),
            new Key<>(HostSetting.HOPS, HOPS),
            new Key<>(HostSetting.TCP, TCP),
            new Key<>(HostSetting.REPLY_FROM, ValueTypes.address()),
            new Key<>(HostSetting.IDENTIFIER, ValueTypes.choice(EchoIdentifier.class)),
            new Key<>(HostSetting.SEQUENCE, ValueTypes.choice(EchoSequence.class)),
            new Key<>(HostSetting.LATE, LATE),
            new Key<>(HostSetting.TTL_CHANGE, TTL_CHANGE),
            new Key<>(HostSetting.ECHO_ID_FILTER, ECHO_ID_FILTER),
            new Key<>(HostSetting.TIMELINE, TIMELINE));

    static {
        if (!KEYS.stream().map(Key::setting).toList().equals(HostSetting.ALL)) {
            throw new IllegalStateException("HostKeys.KEYS must list HostSetting.ALL in order: " + HostSetting.ALL);
        }
    }

    /** The keys of a timeline step: every setting but the timeline. */
    private static final List<Key<?>> STEP_KEYS = KEYS.stream()
            .filter(k -> k.setting() != HostSetting.TIMELINE).toList();
    private static final List<String> HOST_ONLY = List.of("match", "profile", "stagger");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private static final List<String> KEY_NAMES = namesList(KEYS);
    private static final Set<String> KEY_NAMES_SET = new HashSet<>(KEY_NAMES);
    /** For messages; joined once, not for every entry read. */
    private static final String KEYS_TEXT = String.join(", ", KEY_NAMES);
    /** What a timeline step may hold: its duration and every setting but the timeline. */
    private static final List<String> STEP_KNOWN = concat(List.of("for"), namesList(STEP_KEYS));
    private static final String STEP_KNOWN_TEXT = String.join(", ", STEP_KNOWN);

    private HostKeys() {
    }

    private static LossModel readLoss(ConfigNode node, String label) throws ConfigException {
        if (node instanceof ConfigNode.Mapping) {
            ConfigNode.Mapping m = (ConfigNode.Mapping) node;
            checkKeys(m, label, List.of("p", "r"));
            double p = PROBABILITY.read(required(m, "p", label), join(label, "p"));
            double r = PROBABILITY.read(required(m, "r", label), join(label, "r"));
            try {
                return LossModel.bursts(p, r);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(node.where() + label + ": " + e.getMessage(), label);
            }
        }
        return LossModel.independent(PROBABILITY.read(node, label));
    }

    /**
     * A host's rate: replies per second, or 0 (it answers nothing: a router that forwards but drops its own ICMP), or
     * none (no limit, lifting a lower layer's).
     */
    private static double parseRate(String text) {
        String t = text.trim();
        if (t.equals("none")) {
            return Double.POSITIVE_INFINITY;
        }
        String n = t.endsWith("/s") ? t.substring(0, t.length() - 2).trim() : t;
        double v;
        try {
            v = Double.parseDouble(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not a rate; give " + RATE.describe());
        }
        if (!(v >= 0 && v <= 1e9)) {
            throw new IllegalArgumentException("'" + t + "' is out of range; give " + RATE.describe());
        }
        return v;
    }

    /** {@code hops}: a list of hops (a single hop alone is a list of one; nothing: on the link). */
    private static List<Hop> readHops(ConfigNode node, String label) throws ConfigException {
        if (node instanceof ConfigNode.Scalar && ((ConfigNode.Scalar) node).isNull()) {
            return List.of();
        }
        if (!(node instanceof ConfigNode.Sequence)) {
            return List.of(readHop(node, label));
        }
        List<ConfigNode> items = ((ConfigNode.Sequence) node).items();
        List<Hop> hops = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            hops.add(readHop(items.get(i), label + "[" + i + "]"));
        }
        return List.copyOf(hops);
    }

    /** One hop: a router's address, or {@code {any: [ADDRESS, ...], by: CHOICE}} (by: flow when left out). */
    private static Hop readHop(ConfigNode node, String label) throws ConfigException {
        if (node instanceof ConfigNode.Scalar) {
            return Hop.of(ROUTER.read(node, label));
        }
        if (!(node instanceof ConfigNode.Mapping)) {
            throw new ConfigException(node.where() + label + " must be an address or {any: [ADDRESS, ...], by: "
                    + "flow|packet|destination}, not " + node.kind(), label);
        }
        ConfigNode.Mapping m = (ConfigNode.Mapping) node;
        checkKeys(m, label, List.of("any", "by"));
        ConfigNode any = required(m, "any", label);
        String anyLabel = label + ".any";
        List<ConfigNode> items = any instanceof ConfigNode.Sequence ? ((ConfigNode.Sequence) any).items() : List.of();
        if (items.isEmpty()) {
            throw new ConfigException(any.where() + anyLabel + " must be a list of one or more router addresses",
                    anyLabel);
        }
        List<IpCidr> routers = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            IpCidr router = ROUTER.read(items.get(i), anyLabel + "[" + i + "]");
            if (routers.contains(router)) {
                throw new ConfigException(items.get(i).where() + anyLabel + " lists " + router.addressText()
                        + " twice", anyLabel);
            }
            routers.add(router);
        }
        HopChoice by = m.entries().containsKey("by") ? HOP_CHOICE.read(m.entries().get("by"), label + ".by")
                : HopChoice.FLOW;
        return new Hop(routers, by);
    }

    private static Duplicates readDuplicates(ConfigNode node, String label) throws ConfigException {
        if (!(node instanceof ConfigNode.Mapping)) {
            return Duplicates.of(PROBABILITY.read(node, label));
        }
        ConfigNode.Mapping m = (ConfigNode.Mapping) node;
        checkKeys(m, label, List.of("p", "count"));
        double p = PROBABILITY.read(required(m, "p", label), join(label, "p"));
        int count = DUPLICATE_COUNT.read(required(m, "count", label), join(label, "count"));
        return new Duplicates(p, count);
    }

    private static LateReplies readLate(ConfigNode node, String label) throws ConfigException {
        ConfigNode.Mapping m = mapping(node, label, "p, by");
        checkKeys(m, label, List.of("p", "by"));
        double p = PROBABILITY.read(required(m, "p", label), join(label, "p"));
        ConfigNode byNode = required(m, "by", label);
        long by = DURATION.read(byNode, join(label, "by"));
        if (by <= 0) {
            throw new ConfigException(byNode.where() + join(label, "by") + " must be longer than 0", join(label, "by"));
        }
        return new LateReplies(p, by);
    }

    private static TtlChange readTtlChange(ConfigNode node, String label) throws ConfigException {
        ConfigNode.Mapping m = mapping(node, label, "every, values");
        checkKeys(m, label, List.of("every", "values"));
        ConfigNode everyNode = required(m, "every", label);
        long every = DURATION.read(everyNode, join(label, "every"));
        if (every <= 0) {
            throw new ConfigException(everyNode.where() + join(label, "every") + " must be longer than 0",
                    join(label, "every"));
        }
        ConfigNode valuesNode = required(m, "values", label);
        List<Integer> values = TTLS.read(valuesNode, join(label, "values"));
        if (values.isEmpty()) {
            throw new ConfigException(valuesNode.where() + join(label, "values") + " must list at least one TTL",
                    join(label, "values"));
        }
        return new TtlChange(every, values);
    }

    private static EchoIdFilter readEchoIdFilter(ConfigNode node, String label) throws ConfigException {
        ConfigNode.Mapping m = mapping(node, label, "after, idle");
        checkKeys(m, label, List.of("after", "idle"));
        long after = DURATION.read(required(m, "after", label), join(label, "after"));
        long idle = EchoIdFilter.DEFAULT_IDLE_NANOS;
        ConfigNode idleNode = m.entries().get("idle");
        if (idleNode != null) {
            idle = DURATION.read(idleNode, join(label, "idle"));
            if (idle <= 0) {
                throw new ConfigException(idleNode.where() + join(label, "idle") + " must be longer than 0",
                        join(label, "idle"));
            }
        }
        return new EchoIdFilter(after, idle);
    }

    private static PortSet readTcp(ConfigNode node, String label) throws ConfigException {
        ConfigNode.Mapping m = mapping(node, label, "open");
        checkKeys(m, label, List.of("open"));
        return PortSet.of(PORTS.read(required(m, "open", label), label + ".open"));
    }

    private static TimelineSpec readTimeline(ConfigNode node, String label) throws ConfigException {
        ConfigNode.Mapping m = mapping(node, label, "repeat, steps");
        checkKeys(m, label, List.of("repeat", "steps"));
        boolean repeat = m.entries().containsKey("repeat")
                && ValueTypes.bool().read(m.entries().get("repeat"), label + ".repeat");
        ConfigNode stepsNode = required(m, "steps", label);
        if (!(stepsNode instanceof ConfigNode.Sequence) || ((ConfigNode.Sequence) stepsNode).items().isEmpty()) {
            throw new ConfigException(stepsNode.where() + label + ".steps must be a list of steps, each "
                    + "{for: DURATION, SETTINGS...}");
        }
        List<TimelineSpec.Step> steps = new ArrayList<>();
        List<ConfigNode> items = ((ConfigNode.Sequence) stepsNode).items();
        for (int i = 0; i < items.size(); i++) {
            String stepLabel = label + ".steps[" + i + "]";
            ConfigNode.Mapping step = mapping(items.get(i), stepLabel, STEP_KNOWN_TEXT);
            checkKeys(step, stepLabel, STEP_KNOWN);
            long nanos = DURATION.read(required(step, "for", stepLabel), stepLabel + ".for");
            if (nanos <= 0) {
                throw new ConfigException(step.where() + stepLabel + ".for must be longer than 0");
            }
            HostSettings.Builder sb = HostSettings.builder();
            readInto(step, stepLabel, STEP_KEYS, sb);
            steps.add(new TimelineSpec.Step(nanos, sb.build()));
        }
        return new TimelineSpec(steps, repeat);
    }

    /**
     * Reads host settings from a mapping (a profile, or the settings of an API request).
     *
     * @param label how messages name the mapping ({@code profiles.far-away})
     * @param extra other keys the mapping may hold, which this ignores
     */
    public static HostSettings readSettings(ConfigNode node, String label, List<String> extra) throws ConfigException {
        ConfigNode.Mapping m = mapping(node, label, KEYS_TEXT);
        for (String key : m.entries().keySet()) {
            if (!KEY_NAMES_SET.contains(key) && !extra.contains(key)) {
                List<String> known = new ArrayList<>(extra);
                known.addAll(KEY_NAMES);
                checkKeys(m, label, known);
            }
        }
        if (m.entries().size() == extraCount(m, extra)) {
            return HostSettings.EMPTY; // the common host entry: a match and a profile, nothing of its own
        }
        HostSettings.Builder b = HostSettings.builder();
        readInto(m, label, KEYS, b);
        return b.build();
    }

    private static int extraCount(ConfigNode.Mapping m, List<String> extra) {
        int n = 0;
        for (String key : extra) {
            if (m.entries().containsKey(key)) {
                n++;
            }
        }
        return n;
    }

    private static void readInto(ConfigNode.Mapping m, String label, List<Key<?>> keys, HostSettings.Builder b)
            throws ConfigException {
        for (Key<?> k : keys) {
            ConfigNode v = m.entries().get(k.name());
            if (v != null) {
                k.read(v, join(label, k.name()), b);
            }
        }
    }

    /** The {@code profiles} mapping: names to settings. */
    static ValueType<Map<String, HostSettings>> profilesType() {
        return ValueType.ofTree("a mapping of profile names to settings", (node, name) -> {
            if (node instanceof ConfigNode.Scalar && ((ConfigNode.Scalar) node).isNull()) {
                return Map.of();
            }
            ConfigNode.Mapping m = mapping(node, name, "profile names");
            Map<String, HostSettings> profiles = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigNode> e : m.entries().entrySet()) {
                String profile = e.getKey();
                if (!NAME.matcher(profile).matches()) {
                    throw new ConfigException(m.whereKey(profile) + name + ": '" + profile + "' is not a profile "
                            + "name (letters, digits, '-', '_' and '.')");
                }
                profiles.put(profile, readSettings(e.getValue(), name + "." + profile, List.of()));
            }
            return profiles;
        });
    }

    /** The {@code hosts} list. */
    static ValueType<List<HostSpec>> hostsType() {
        return ValueType.ofTree("a list of host entries", (node, name) -> {
            if (node instanceof ConfigNode.Scalar && ((ConfigNode.Scalar) node).isNull()) {
                return List.of();
            }
            if (!(node instanceof ConfigNode.Sequence)) {
                throw new ConfigException(node.where() + name + " must be a list of entries such as "
                        + "{match: 198.18.0.10, profile: far-away}, not " + node.kind());
            }
            List<HostSpec> hosts = new ArrayList<>();
            List<ConfigNode> items = ((ConfigNode.Sequence) node).items();
            for (int i = 0; i < items.size(); i++) {
                hosts.add(readHost(items.get(i), name + "[" + i + "]"));
            }
            return hosts;
        });
    }

    /** One {@code hosts} entry (also the body of an admin API request that defines one). */
    public static HostSpec readHost(ConfigNode node, String label) throws ConfigException {
        HostSettings settings = readSettings(node, label, HOST_ONLY);
        ConfigNode.Mapping m = (ConfigNode.Mapping) node;
        IpCidr match = ValueTypes.cidr().read(required(m, "match", label), label + ".match");
        checkReplyFrom(settings.get(HostSetting.REPLY_FROM), match, m, label, "reply-from");
        TimelineSpec timeline = settings.get(HostSetting.TIMELINE);
        if (timeline != null) {
            for (int i = 0; i < timeline.steps().size(); i++) {
                checkReplyFrom(timeline.steps().get(i).settings().get(HostSetting.REPLY_FROM), match, m, label,
                        "timeline.steps[" + i + "].reply-from");
            }
        }
        String profile = null;
        if (m.entries().containsKey("profile")) {
            profile = ValueTypes.word().read(m.entries().get("profile"), label + ".profile");
        }
        long stagger = 0;
        if (m.entries().containsKey("stagger")) {
            ConfigNode s = m.entries().get("stagger");
            stagger = DURATION.read(s, label + ".stagger");
            if (match.isSingleAddress()) {
                throw new ConfigException(s.where() + label + ".stagger needs a prefix to roll across; "
                        + match.addressText() + " is a single address");
            }
        }
        String where = node.where();
        String source = where.endsWith(": ") ? where.substring(0, where.length() - 2) : label;
        return new HostSpec(match, profile, settings, stagger, source.isEmpty() ? label : source);
    }

    /**
     * A host entry's {@code reply-from}, its own or one of its timeline steps' ({@code key}), must be of its
     * addresses' IP version (a reply keeps its version). A profile's may be of either: it leaves the other
     * version's hosts as they are.
     */
    private static void checkReplyFrom(IpCidr from, IpCidr match, ConfigNode.Mapping m, String label, String key)
            throws ConfigException {
        if (from != null && from.isIpv4() != match.isIpv4()) {
            String where = key.startsWith("timeline") ? m.whereKey("timeline") : m.whereKey("reply-from");
            throw new ConfigException(where + join(label, key) + ": "
                    + from.addressText() + " is not an " + (match.isIpv4() ? "IPv4" : "IPv6")
                    + " address, as the entry's match " + match + " is", join(label, key));
        }
    }

    /** Checks that every profile a host entry names is defined, with the entry's file and line. */
    static void checkProfiles(List<HostSpec> hosts, Map<String, HostSettings> profiles, String label)
            throws ConfigException {
        for (HostSpec h : hosts) {
            if (h.profile() != null && !h.profile().equals(HostConfig.DEFAULT_PROFILE)
                    && !profiles.containsKey(h.profile())) {
                List<String> names = new ArrayList<>(profiles.keySet());
                if (!names.contains(HostConfig.DEFAULT_PROFILE)) {
                    names.add(0, HostConfig.DEFAULT_PROFILE);
                }
                throw new ConfigException(h.source() + ": " + label + ": profile '" + h.profile()
                        + "' is not defined (profiles: " + String.join(", ", names) + ")");
            }
        }
    }

    private static ConfigNode.Mapping mapping(ConfigNode node, String label, String keys) throws ConfigException {
        if (!(node instanceof ConfigNode.Mapping)) {
            throw new ConfigException(node.where() + label + " must be a mapping of " + keys + ", not " + node.kind());
        }
        return (ConfigNode.Mapping) node;
    }

    private static ConfigNode required(ConfigNode.Mapping m, String key, String label) throws ConfigException {
        ConfigNode v = m.entries().get(key);
        if (v == null) {
            throw new ConfigException(m.where() + (label.isEmpty() ? "the request" : label) + " needs '" + key + "'",
                    join(label, key));
        }
        return v;
    }

    /** {@code label.key}, or {@code key} at the top of a request body. */
    static String join(String label, String key) {
        return label.isEmpty() ? key : label + "." + key;
    }

    private static void checkKeys(ConfigNode.Mapping m, String label, List<String> known) throws ConfigException {
        for (String key : m.entries().keySet()) {
            if (!known.contains(key)) {
                throw new ConfigException(m.whereKey(key) + "unknown key '" + key + "' in "
                        + (label.isEmpty() ? "the request" : label) + " (known keys: " + String.join(", ", known) + ")",
                        join(label, key));
            }
        }
    }

    private static List<String> namesList(List<Key<?>> keys) {
        return keys.stream().map(Key::name).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
