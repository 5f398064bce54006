package io.tunecho.hosts;

import java.util.Locale;

/** What a host's echo replies carry as their sequence number ({@code sequence}). */
public enum EchoSequence {
    /** The request's, as every host does. */
    KEEP,
    /**
     * The previous request's of the same flow (source, destination and identifier); the first reply of a flow (or one
     * whose flow was forgotten) carries its own.
     */
    STALE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
