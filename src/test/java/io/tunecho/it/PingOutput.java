package io.tunecho.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What iputils {@code ping} printed: its summary line and, unless flooding, one line per reply. */
record PingOutput(int transmitted, int received, List<Reply> replies, String text) {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern REPLY = Pattern.compile(
            "(\\d+) bytes from ([0-9.]+): icmp_seq=(\\d+) ttl=(\\d+)( time=[0-9.]+ ms)?(.*)");

    record Reply(int bytes, String from, int sequence, int ttl, String rest) {
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
                    Integer.parseInt(r.group(4)), r.group(6)));
        }
        return new PingOutput(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), replies, text);
    }

    /** ping reports corrupted replies ("wrong data byte") and duplicates ("DUP!") on the reply lines. */
    boolean allRepliesIntact() {
        return !text.contains("wrong data") && !text.contains("DUP!") && !text.contains("BAD CHECKSUM")
                && !text.contains("truncated");
    }
}
