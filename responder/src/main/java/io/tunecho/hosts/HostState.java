package io.tunecho.hosts;

import java.util.Locale;

/** Whether a virtual host is there: answering, silent, or reported unreachable by its gateway. */
public enum HostState {
    /** Answers. */
    UP,
    /** Silence: requests are dropped. */
    DOWN,
    /** Its gateway answers with ICMP destination host unreachable, as a router does for a host that vanished. */
    UNREACHABLE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
