package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;
import io.tunecho.wire.IpPacket;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One setting of a host, defined once: its key in the config file and the admin API, its built-in default (Linux's
 * behaviour) and how it is written in events, logs and the admin API's answers. {@link HostSettings} holds a value
 * for each (or none); every layer replaces the values of the layers below it that it sets. {@link #ALL} lists them
 * in order; the server joins each to the type that parses it ({@code io.tunecho.config.HostKeys}), and
 * {@code config/tunecho.yaml} documents each (a test checks both).
 *
 * @param <T> the value's type
 */
public final class HostSetting<T> {
    private static final List<HostSetting<?>> DEFINED = new ArrayList<>();

    /** Up, down (silent) or unreachable (its gateway reports it). */
    public static final HostSetting<HostState> STATE = define("state", HostState.UP, String::valueOf);
    /** The replies' TTL (hop limit). */
    public static final HostSetting<Integer> TTL = define("ttl", IpPacket.DEFAULT_TTL, String::valueOf);
    /** How long a reply waits, in nanoseconds. */
    public static final HostSetting<Long> DELAY = define("delay", 0L, Durations::format);
    /** The spread around the delay, in nanoseconds. */
    public static final HostSetting<Long> JITTER = define("jitter", 0L, Durations::format);
    /** The spread's shape. */
    public static final HostSetting<JitterDistribution> DISTRIBUTION = define("distribution",
            JitterDistribution.NORMAL, String::valueOf);
    /** The 99th percentile of a lognormal delay, in nanoseconds; none: not lognormal. */
    public static final HostSetting<Long> P99 = define("p99", null, Durations::format);
    /** Recorded round-trip times replayed in place of delay, jitter and distribution; none: not replayed. */
    public static final HostSetting<DelayTrace> TRACE = define("trace", null, String::valueOf);
    /** Whether jitter may reorder the replies to one prober. */
    public static final HostSetting<Boolean> REORDER = define("reorder", false, String::valueOf);
    /** Which requests are lost. */
    public static final HostSetting<LossModel> LOSS = define("loss", LossModel.NONE, String::valueOf);
    /** How often a reply is sent more than once, and how many times. */
    public static final HostSetting<Duplicates> DUPLICATE = define("duplicate", Duplicates.NONE, String::valueOf);
    /** The probability that a byte of a reply's data is altered. */
    public static final HostSetting<Double> CORRUPT = define("corrupt", 0.0, LossModel::percent);
    /** Replies per second at most; 0: none at all; +infinity (written none): no limit. */
    public static final HostSetting<Double> RATE = define("rate", Double.POSITIVE_INFINITY,
            r -> r.isInfinite() ? "none" : r == Math.rint(r) ? Long.toString(r.longValue()) : r.toString());
    /** Who reports the host unreachable; none: the table's default gateway. */
    public static final HostSetting<IpCidr> GATEWAY = define("gateway", null, IpCidr::addressText);
    /** The hops in front of the host, nearest first (each a router or a choice of routers); none: on the link. */
    public static final HostSetting<List<Hop>> HOPS = define("hops", null,
            hops -> hops.stream().map(Hop::toString).collect(Collectors.joining(", ", "[", "]")));
    /** The TCP ports that complete a handshake; every other port answers a SYN with a reset. */
    public static final HostSetting<PortSet> TCP = define("tcp", PortSet.NONE, open -> "{open: " + open + "}");
    /** The source address of the host's replies; none: the address asked. */
    public static final HostSetting<IpCidr> REPLY_FROM = define("reply-from", null, IpCidr::addressText);
    /** Whether echo replies keep the request's identifier or carry another; none: keep. */
    public static final HostSetting<EchoIdentifier> IDENTIFIER = define("identifier", null,
            String::valueOf);
    /** Whether echo replies carry the request's sequence number or the previous one of the flow; none: keep. */
    public static final HostSetting<EchoSequence> SEQUENCE = define("sequence", null, String::valueOf);
    /** Replies held longer than the delay now and then; none: never. */
    public static final HostSetting<LateReplies> LATE = define("late", null, String::valueOf);
    /** A reply TTL that changes over time; none: {@code ttl} holds. */
    public static final HostSetting<TtlChange> TTL_CHANGE = define("ttl-change", null, String::valueOf);
    /** A firewall that drops reused echo identifiers; none: no such firewall. */
    public static final HostSetting<EchoIdFilter> ECHO_ID_FILTER = define("echo-id-filter", null, String::valueOf);
    /** Steps of other settings over time; none: the settings hold. */
    public static final HostSetting<TimelineSpec> TIMELINE = define("timeline", null, String::valueOf);

    /** Every host setting, in the order of the config file, messages and {@link HostSettings#describe()}. */
    public static final List<HostSetting<?>> ALL = List.copyOf(DEFINED);

    private final String key;
    private final int index;
    private final T builtIn;
    private final Function<? super T, String> format;

    private HostSetting(String key, int index, T builtIn, Function<? super T, String> format) {
        this.key = key;
        this.index = index;
        this.builtIn = builtIn;
        this.format = format;
    }

    private static <T> HostSetting<T> define(String key, T builtIn, Function<? super T, String> format) {
        HostSetting<T> s = new HostSetting<>(key, DEFINED.size(), builtIn, format);
        DEFINED.add(s);
        return s;
    }

    /** The key in the config file and the admin API: {@code ttl}. */
    public String key() {
        return key;
    }

    /** The place of this setting in {@link #ALL}. */
    int index() {
        return index;
    }

    /** The value when no layer sets it (Linux's behaviour), or {@code null} when unset means none. */
    public T builtIn() {
        return builtIn;
    }

    /** A value as the config file would write it. */
    public String format(T value) {
        return format.apply(value);
    }

    /** A value held for this setting (in {@link HostSettings}, which sets only values of the setting's type). */
    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }

    String formatStored(Object value) {
        return format(cast(value));
    }

    @Override
    public String toString() {
        return key;
    }
}
