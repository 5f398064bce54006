package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;

/**
 * One entry of the {@code hosts} list as configured (or set through the admin API).
 *
 * @param match        the address or prefix it answers for
 * @param profile      the profile it uses, or {@code null} for {@code default}
 * @param settings     its own settings, over the profile's
 * @param staggerNanos for a prefix: how much later each address's timeline starts than the previous address's
 * @param source       where it was defined, for messages ({@code lab.yaml:12}, {@code api})
 * @param override     settings over everything, timeline steps included (the admin API's)
 */
public record HostSpec(IpCidr match, String profile, HostSettings settings, long staggerNanos, String source,
                       HostSettings override) {
    public HostSpec {
        match = match.subnet();
        if (settings == null) {
            settings = HostSettings.EMPTY;
        }
        if (override == null) {
            override = HostSettings.EMPTY;
        }
    }

    public HostSpec(IpCidr match, String profile, HostSettings settings, long staggerNanos, String source) {
        this(match, profile, settings, staggerNanos, source, HostSettings.EMPTY);
    }

    /** This entry with {@code override} over it (and the override's profile, if it names one). */
    public HostSpec withOverride(String overrideProfile, HostSettings override) {
        return new HostSpec(match, overrideProfile != null ? overrideProfile : profile, settings, staggerNanos, source,
                override);
    }
}
