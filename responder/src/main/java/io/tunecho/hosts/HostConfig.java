package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;

import java.util.List;
import java.util.Map;

/**
 * What a host table is built from: the interface's address, the answered prefixes, the profiles and the host
 * entries, as the configuration gives them.
 *
 * @param interfaceAddress  the kernel's IPv4 address and prefix on the interface
 * @param interfaceAddress6 the kernel's IPv6 address and prefix on the interface, or {@code null}
 * @param answer            the answered prefixes; empty means the interface's subnets
 * @param profiles         the profiles by name ({@code default} applies to every answered address)
 * @param hosts            the host entries, in the order written
 */
public record HostConfig(IpCidr interfaceAddress, IpCidr interfaceAddress6, List<IpCidr> answer,
                         Map<String, HostSettings> profiles, List<HostSpec> hosts) {
    public static final String DEFAULT_PROFILE = "default";

    public HostConfig(IpCidr interfaceAddress, List<IpCidr> answer, Map<String, HostSettings> profiles,
            List<HostSpec> hosts) {
        this(interfaceAddress, null, answer, profiles, hosts);
    }

    /** The subnets of the interface's addresses: IPv4, then IPv6 if there is one. */
    public List<IpCidr> subnets() {
        return interfaceAddress6 == null ? List.of(interfaceAddress.subnet())
                : List.of(interfaceAddress.subnet(), interfaceAddress6.subnet());
    }

    public HostConfig {
        answer = List.copyOf(answer);
        profiles = Map.copyOf(profiles);
        hosts = List.copyOf(hosts);
    }

    /** Just the answered prefixes, every host behaving as Linux does. */
    public static HostConfig answering(IpCidr interfaceAddress, List<IpCidr> answer) {
        return new HostConfig(interfaceAddress, null, answer, Map.of(), List.of());
    }
}
