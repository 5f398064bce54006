package io.tunecho.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What iputils {@code ping} printed: its summary line and, unless flooding, one line per reply. */
record PingOutput(int transmitted, int received, List<Reply> replies, String text) {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern REPLY = Pattern.compile(
            "(\\d+) bytes from ([0-9a-f.:]+): icmp_seq=(\\d+) ttl=(\\d+)(?: time=([0-9.]+) ms)?(.*)");

    /** One reply line; {@code millis} is NaN when ping printed no time. */
    record Reply(int bytes, String from, int sequence, int ttl, double millis, String rest) {
    }

    static PingOutput parse(String text) {
        Matcher m = SUMMARY.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no ping summary in:\n" + text);
        }
        List<Reply> replies = new ArrayList<>();
        Matcher r = REPLY.matcher(text);
        while (r.find()) {
            replies.add(new Reply(Integer.parseInt(r.group(1)), r.group(2), Integer.parseInt(r.group(3)),
                    Integer.parseInt(r.group(4)), r.group(5) == null ? Double.NaN : Double.parseDouble(r.group(5)),
                    r.group(6)));
        }
        return new PingOutput(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), replies, text);
    }

    /** The median round-trip time of the replies, in milliseconds. */
    double medianMillis() {
        double[] t = replies.stream().mapToDouble(Reply::millis).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (t.length == 0) {
            throw new AssertionError("no reply times in:\n" + text);
        }
        return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
    }

    /** The sequence numbers that got a reply (duplicates once). */
    java.util.SortedSet<Integer> sequences() {
        java.util.SortedSet<Integer> seqs = new java.util.TreeSet<>();
        for (Reply r : replies) {
            seqs.add(r.sequence());
        }
        return seqs;
    }

    /** ping reports corrupted replies ("wrong data byte") and duplicates ("DUP!") on the reply lines. */
    boolean allRepliesIntact() {
        return !text.contains("wrong data") && !text.contains("DUP!") && !text.contains("BAD CHECKSUM")
                && !text.contains("truncated");
    }
}
