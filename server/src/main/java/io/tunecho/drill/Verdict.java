package io.tunecho.drill;

import java.util.Locale;

/** Where an expectation of a scenario stands: not decided yet, met, or not met. */
public enum Verdict {
    PENDING,
    PASSED,
    FAILED;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
