package io.tunecho.control;

import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostSpec;
import io.tunecho.wire.IpCidr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings of a scenario's steps in force, over every other layer (the configuration's entries and the admin
 * API's overrides): each entry within a step's prefix gets the step's settings over its own, and a step's prefix
 * that is no entry becomes one, with the profile and settings of the entry that covers it, so that a step changes
 * only what it names. The steps in force never overlap (the configuration is refused otherwise).
 */
final class ScenarioLayer {
    static final String SOURCE = "scenario";

    private ScenarioLayer() {
    }

    /** {@code base} with {@code layer} (settings by prefix) over it. */
    static HostConfig over(HostConfig base, Map<IpCidr, HostSettings> layer) {
        if (layer.isEmpty()) {
            return base;
        }
        List<HostSpec> hosts = new ArrayList<>(base.hosts().size() + layer.size());
        for (HostSpec h : base.hosts()) {
            HostSettings s = within(h.match(), layer);
            hosts.add(s == null ? h : h.withOverride(null, h.override().overriddenBy(s)));
        }
        for (Map.Entry<IpCidr, HostSettings> e : layer.entrySet()) {
            IpCidr prefix = e.getKey();
            HostSpec cover = covering(base.hosts(), prefix);
            if (cover != null && cover.match().equals(prefix)) {
                continue; // the entry itself took the settings above
            }
            hosts.add(cover == null ? new HostSpec(prefix, null, HostSettings.EMPTY, 0, SOURCE, e.getValue())
                    : new HostSpec(prefix, cover.profile(), cover.settings(), 0, SOURCE,
                    cover.override().overriddenBy(e.getValue())));
        }
        return new HostConfig(base.interfaceAddress(), base.interfaceAddress6(), base.answer(), base.profiles(), hosts);
    }

    /** The settings of the layer's prefix that holds {@code match}, or {@code null}. */
    private static HostSettings within(IpCidr match, Map<IpCidr, HostSettings> layer) {
        for (Map.Entry<IpCidr, HostSettings> e : layer.entrySet()) {
            if (e.getKey().contains(match)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The entry with the longest prefix that holds {@code prefix} (itself included), or {@code null}. */
    private static HostSpec covering(List<HostSpec> hosts, IpCidr prefix) {
        HostSpec best = null;
        for (HostSpec h : hosts) {
            if (h.match().contains(prefix) && (best == null || h.match().prefixLength() > best.match().prefixLength())) {
                best = h;
            }
        }
        return best;
    }
}
