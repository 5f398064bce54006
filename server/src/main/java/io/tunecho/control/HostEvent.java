package io.tunecho.control;

import java.time.Instant;

/**
 * One change of host behaviour.
 *
 * @param time   when it happened
 * @param cause  why
 * @param entry  the host entry it concerns ({@code 198.18.0.10/32})
 * @param change what changed, in the config file's names ({@code state: up -> down})
 */
public record HostEvent(Instant time, Cause cause, String entry, String change) {
}
