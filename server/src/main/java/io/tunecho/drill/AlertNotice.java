package io.tunecho.drill;

import io.tunecho.wire.IpCidr;

import java.util.List;
import java.util.Map;

/**
 * One alert as tunecho received it: that it fired or resolved, its name, the answered addresses it concerns (those
 * that appear whole in its labels), its labels, and when it arrived (the hosts' clock, wall time in milliseconds).
 *
 * @param source where it came from: {@code alertmanager} (a webhook payload) or {@code json} (the small form)
 */
public record AlertNotice(Status status, String name, List<IpCidr> addresses, Map<String, String> labels,
                          long receivedMillis, String source) {
    /** Whether the alert fired or resolved. */
    public enum Status { FIRING, RESOLVED }

    public AlertNotice {
        addresses = List.copyOf(addresses);
        labels = Map.copyOf(labels);
    }
}
