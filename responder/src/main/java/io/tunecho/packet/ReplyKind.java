package io.tunecho.packet;

/** What a packet that tunecho sends is, as {@link PacketCounters} and the metrics count it. */
public enum ReplyKind {
    /** An ICMP or ICMPv6 echo reply. */
    ECHO("echo"),
    /** A TCP segment: a SYN-ACK, a reset, a FIN or the last ACK. */
    TCP("tcp"),
    /** An ICMP error in answer to a request: destination unreachable, time exceeded, ... */
    ICMP_ERROR("icmp_error");

    private final String metricName;

    ReplyKind(String metricName) {
        this.metricName = metricName;
    }

    /** Its name in metrics and logs ({@code kind="icmp_error"}). */
    public String metricName() {
        return metricName;
    }
}
