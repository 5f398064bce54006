package io.tunecho.config;

import io.tunecho.hosts.Durations;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.wire.IpCidr;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scenario as configured ({@code scenario:} in the config file, or {@code --scenario FILE}): steps that change
 * hosts at offsets from the moment tunecho starts answering, and what each step expects of the monitoring. Read by
 * {@link ScenarioKeys}; run by {@code io.tunecho.drill.ScenarioRunner}. Immutable.
 *
 * @param name      names the scenario in events, logs and the report
 * @param steps     in the order written
 * @param endNanos  when the scenario ends, from its start; {@code null}: when every expectation is decided and every
 *                  step with a {@code for} has ended
 * @param report    where the JUnit XML goes (its JSON twin beside it), or {@code null}
 * @param exit      whether tunecho stops at the end, with exit code 0 when every expectation passed, 3 otherwise
 * @param source    where it was written ({@code lab.yaml:40}), for messages
 */
public record ScenarioSpec(String name, List<Step> steps, Long endNanos, Path report, boolean exit, String source) {
    public ScenarioSpec {
        steps = List.copyOf(steps);
    }

    /**
     * One step.
     *
     * @param number   1, 2, ...: in the order written
     * @param atNanos  when it starts, from the scenario's start
     * @param match    as written: an address, a CIDR, or the name of a profile (every hosts entry that uses it)
     * @param prefix   the address or CIDR, or {@code null} when {@code match} names a profile
     * @param settings the host settings it puts in force while it lasts (maybe none)
     * @param forNanos how long it lasts; {@code null}: until the scenario ends
     * @param expect   what it expects, in {@link Kind} order
     * @param source   where it was written ({@code lab.yaml:44})
     */
    public record Step(int number, long atNanos, String match, IpCidr prefix, HostSettings settings, Long forNanos,
                       List<Expectation> expect, String source) {
        public Step {
            expect = List.copyOf(expect);
        }

        /** Whether it changes hosts (rather than only watching them). */
        public boolean setsHosts() {
            return !settings.equals(HostSettings.EMPTY);
        }

        /** When it ends from the scenario's start, or {@code Long.MAX_VALUE} when it lasts until the end. */
        public long endNanos() {
            return forNanos == null ? Long.MAX_VALUE : atNanos + forNanos;
        }

        /** The prefixes it concerns: its own, or those of the hosts entries that use the profile it names. */
        public List<IpCidr> prefixes(List<HostSpec> hosts) {
            if (prefix != null) {
                return List.of(prefix);
            }
            List<IpCidr> matched = new ArrayList<>();
            for (HostSpec h : hosts) {
                if (match.equals(h.profile())) {
                    matched.add(h.match());
                }
            }
            return matched;
        }

        /** {@code step 1 198.18.0.30}: how reports and logs name it. */
        public String label() {
            return "step " + number + " " + match;
        }
    }

    /** The kinds of expectation, in the order a step lists them. */
    public enum Kind {
        /** An alert concerning a matched address fires within the limit of the step's start. */
        ALERT,
        /** Every alert that fired for the step resolves within the limit of the step's end. */
        RESOLVE,
        /** No alert concerning a matched address fires from the step's start until the limit after its end. */
        NO_ALERT,
        /** Every matched address is probed at least once per limit while the step lasts. */
        PROBED;

        /** The key in the config file: {@code no-alert}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @Override
        public String toString() {
            return key();
        }
    }

    /**
     * One expectation of a step.
     *
     * @param limitNanos the duration it names ({@code no-alert: true}: 0, the step's own end)
     */
    public record Expectation(Kind kind, long limitNanos) {
        /** The limit as written: {@code 90s}, or {@code true} for {@code no-alert: true}. */
        public String limitText() {
            return kind == Kind.NO_ALERT && limitNanos == 0 ? "true" : Durations.format(limitNanos);
        }

        /** {@code alert 90s}. */
        @Override
        public String toString() {
            return kind.key() + " " + limitText();
        }
    }

    /** How many expectations the steps hold in all. */
    public int expectations() {
        int n = 0;
        for (Step s : steps) {
            n += s.expect().size();
        }
        return n;
    }

    /** The JSON twin of the report: {@code drill.xml} gives {@code drill.json}, anything else gets {@code .json}. */
    public Path jsonReport() {
        if (report == null) {
            return null;
        }
        String file = report.getFileName().toString();
        String json = file.endsWith(".xml") ? file.substring(0, file.length() - 4) + ".json" : file + ".json";
        return report.resolveSibling(json);
    }
}
