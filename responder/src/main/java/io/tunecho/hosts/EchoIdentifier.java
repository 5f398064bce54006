package io.tunecho.hosts;

import java.util.Locale;

/** What a host's echo replies carry as their identifier ({@code identifier}). */
public enum EchoIdentifier {
    /** The request's, as every host does. */
    KEEP,
    /**
     * Another one (the request's with its top bit flipped): the prober never matches the reply. Linux delivers a
     * reply to an ICMP datagram socket by its identifier, so ping does not even see it; a raw socket's ping drops it.
     */
    REWRITE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
