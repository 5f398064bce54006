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
 */
public record HostSpec(IpCidr match, String profile, HostSettings settings, long staggerNanos, String source) {
    public HostSpec {
        match = match.subnet();
        if (settings == null) {
            settings = HostSettings.EMPTY;
        }
    }
}
