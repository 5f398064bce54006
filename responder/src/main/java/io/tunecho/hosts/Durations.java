package io.tunecho.hosts;

/** Durations in nanoseconds, written as people write them: {@code 250us}, {@code 20ms}, {@code 1.5s}, {@code 2m}. */
public final class Durations {
    private Durations() {
    }

    /**
     * Parses a number with a unit: {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h}.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static long parse(String text) {
        String t = text.trim();
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        if (i == 0 || i == t.length()) {
            throw new IllegalArgumentException("'" + t + "' is not a duration; write a number and a unit, such as "
                    + "250us, 20ms, 1.5s or 2m");
        }
        double value;
        try {
            value = Double.parseDouble(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not a duration; write a number and a unit, such as 20ms");
        }
        String unit = t.substring(i).trim();
        double scale;
        switch (unit) {
            case "ns":
                scale = 1;
                break;
            case "us":
            case "µs":
                scale = 1e3;
                break;
            case "ms":
                scale = 1e6;
                break;
            case "s":
                scale = 1e9;
                break;
            case "m":
                scale = 60e9;
                break;
            case "h":
                scale = 3600e9;
                break;
            default:
                throw new IllegalArgumentException("'" + t + "' has an unknown unit '" + unit + "'; use ns, us, ms, s, m "
                        + "or h");
        }
        double nanos = value * scale;
        if (nanos > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("'" + t + "' is too long");
        }
        return Math.round(nanos);
    }

    /** The shortest exact form in the largest unit that keeps it whole or short: {@code 120ms}, {@code 1.5s}. */
    public static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos >= 1_000_000_000L && nanos % 1_000_000L == 0) {
            return trim(nanos / 1e9) + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos >= 1_000_000L ? trim(nanos / 1e6) + "ms" : nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }

    private static String trim(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
