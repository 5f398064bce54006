package io.tunecho.hosts;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the round-trip times of a {@link DelayTrace} from a file's text, all in milliseconds. Three formats:
 * <ul>
 *   <li>one value per line; blank lines and {@code #} comments are skipped;</li>
 *   <li>the output of {@code fping -C N} ({@code 198.18.0.10 : 1.23 1.45 - 2.01}), told by the first line holding
 *   {@code " : "}: a lost probe ({@code -}) is skipped; every host's line is taken in file order unless
 *   {@code host} names one; fping's per-reply lines ({@code host : [0], 64 bytes, ...}) are skipped;</li>
 *   <li>CSV with a header line, when {@code column} is given: the column by its header name, or by its number
 *   (1 is the first); an empty field is skipped, as a lost probe.</li>
 * </ul>
 * Every error names the line (1 is the first) where it is.
 */
public final class TraceText {
    private static final String FPING_SEPARATOR = " : ";

    private TraceText() {
    }

    /** A trace that cannot be read: {@link #line()} is where (0: the file as a whole). */
    public static final class FormatException extends IllegalArgumentException {
        private final int line;

        FormatException(int line, String reason) {
            super(reason);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /**
     * The values in nanoseconds, in file order.
     *
     * @param column the CSV column (a header name or a number from 1), or {@code null}: not CSV
     * @param host   the host whose fping line to take, or {@code null}: every line
     * @throws FormatException what is wrong and on which line; also when there is no value at all
     */
    public static long[] parse(String text, String column, String host) {
        String[] lines = text.split("\r?\n", -1);
        List<Long> values = new ArrayList<>();
        if (column != null) {
            if (host != null) {
                throw new FormatException(0, "a CSV trace has no hosts: give column or host, not both");
            }
            csv(lines, column, values);
        } else if (isFping(lines)) {
            fping(lines, host, values);
        } else if (host != null) {
            throw new FormatException(0, "host " + host + " given, but this is not the output of fping -C "
                    + "(HOST : 1.23 1.45 - 2.01)");
        } else {
            for (int i = 0; i < lines.length; i++) {
                String l = content(lines[i]);
                if (!l.isEmpty()) {
                    values.add(nanos(l, i + 1));
                }
            }
        }
        if (values.isEmpty()) {
            throw new FormatException(0, host != null ? "no values for host " + host : "no values");
        }
        long[] nanos = new long[values.size()];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = values.get(i);
        }
        return nanos;
    }

    private static boolean isFping(String[] lines) {
        for (String line : lines) {
            String l = content(line);
            if (!l.isEmpty()) {
                return l.contains(FPING_SEPARATOR);
            }
        }
        return false;
    }

    private static void fping(String[] lines, String host, List<Long> values) {
        boolean hostSeen = false;
        for (int i = 0; i < lines.length; i++) {
            String l = content(lines[i]);
            if (l.isEmpty()) {
                continue;
            }
            int sep = l.indexOf(FPING_SEPARATOR);
            if (sep < 0) {
                throw new FormatException(i + 1, "not a line of fping -C (HOST : 1.23 1.45 - 2.01): '" + l + "'");
            }
            String rest = l.substring(sep + FPING_SEPARATOR.length()).trim();
            if (host != null && !l.substring(0, sep).trim().equals(host) || rest.startsWith("[")) {
                continue; // another host, or a per-reply line whose value the summary line repeats
            }
            hostSeen = true;
            for (String token : rest.split("\\s+")) {
                if (!token.isEmpty() && !token.equals("-")) {
                    values.add(nanos(token, i + 1));
                }
            }
        }
        if (host != null && !hostSeen) {
            throw new FormatException(0, "no line for host " + host);
        }
    }

    private static void csv(String[] lines, String column, List<Long> values) {
        int field = -1;
        for (int i = 0; i < lines.length; i++) {
            String l = content(lines[i]);
            if (l.isEmpty()) {
                continue;
            }
            String[] fields = l.split(",", -1);
            if (field < 0) {
                field = column(fields, column, i + 1);
                continue;
            }
            if (field >= fields.length) {
                throw new FormatException(i + 1, "has " + fields.length + " fields; column " + column + " is field "
                        + (field + 1));
            }
            String v = unquote(fields[field]);
            if (!v.isEmpty()) {
                values.add(nanos(v, i + 1));
            }
        }
        if (field < 0) {
            throw new FormatException(0, "no header line");
        }
    }

    /** The index of {@code column} in the header: its name, or its number from 1. */
    private static int column(String[] header, String column, int line) {
        for (int f = 0; f < header.length; f++) {
            if (unquote(header[f]).equals(column)) {
                return f;
            }
        }
        if (column.chars().allMatch(Character::isDigit) && !column.isEmpty() && column.length() < 6) {
            int n = Integer.parseInt(column);
            if (n >= 1 && n <= header.length) {
                return n - 1;
            }
        }
        List<String> names = new ArrayList<>();
        for (String h : header) {
            names.add(unquote(h));
        }
        throw new FormatException(line, "no column '" + column + "' in the header (columns: "
                + String.join(", ", names) + ", or 1.." + header.length + ")");
    }

    private static String unquote(String field) {
        String f = field.trim();
        return f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1).trim() : f;
    }

    /** The line without its {@code #} comment and surrounding blanks. */
    private static String content(String line) {
        int hash = line.indexOf('#');
        return (hash >= 0 ? line.substring(0, hash) : line).trim();
    }

    /** A round-trip time in milliseconds, as nanoseconds. */
    private static long nanos(String ms, int line) {
        double v;
        try {
            v = Double.parseDouble(ms);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v >= 0) || v > 3_600_000) {
            throw new FormatException(line, "'" + ms + "' is not a round-trip time in milliseconds (0 or more, "
                    + "at most an hour)");
        }
        return Math.round(v * 1_000_000);
    }
}
