package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;

import java.util.List;
import java.util.Map;

/**
 * What a host table is built from: the interface's address, the answered prefixes, the profiles and the host
 * entries, as the configuration gives them.
 *
 * @param interfaceAddress the kernel's IPv4 address and prefix on the interface
 * @param answer           the answered prefixes; empty means the interface's subnet
 * @param profiles         the profiles by name ({@code default} applies to every answered address)
 * @param hosts            the host entries, in the order written
 */
public record HostConfig(IpCidr interfaceAddress, List<IpCidr> answer, Map<String, HostSettings> profiles,
                         List<HostSpec> hosts) {
    public static final String DEFAULT_PROFILE = "default";

    public HostConfig {
        answer = List.copyOf(answer);
        profiles = Map.copyOf(profiles);
        hosts = List.copyOf(hosts);
    }

    /** Just the answered prefixes, every host behaving as Linux does. */
    public static HostConfig answering(IpCidr interfaceAddress, List<IpCidr> answer) {
        return new HostConfig(interfaceAddress, answer, Map.of(), List.of());
    }
}
