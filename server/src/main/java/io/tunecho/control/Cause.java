package io.tunecho.control;

import java.util.Locale;

/** Why the behaviour of a host changed. */
public enum Cause {
    /** The configuration tunecho started with. */
    CONFIG,
    /** The config file was read again (SIGHUP, or POST /api/reload). */
    RELOAD,
    /** The admin API changed it. */
    API,
    /** A timeline moved to its next step. */
    TIMELINE,
    /** An override of the admin API ran out. */
    EXPIRY,
    /** An alert fired or resolved (POST /api/alerts); the event's entry is the addresses it concerns. */
    ALERT,
    /** A step of the scenario started or ended. */
    SCENARIO;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
