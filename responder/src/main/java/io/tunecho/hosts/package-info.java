/**
 * The virtual hosts: which addresses are answered, and by what. {@link io.tunecho.hosts.PrefixTable} is the
 * longest-prefix-match structure (IPv4 and IPv6); {@link io.tunecho.hosts.HostTable} holds the entries built from
 * the configuration. Depends on {@code wire} only.
 */
package io.tunecho.hosts;
