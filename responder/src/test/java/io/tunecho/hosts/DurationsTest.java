package io.tunecho.hosts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "0s, 0",
            "250ns, 250",
            "250us, 250000",
            "250µs, 250000",
            "20ms, 20000000",
            "1.5s, 1500000000",
            "2m, 120000000000",
            "1h, 3600000000000",
            "' 20 ms ', 20000000",
            "0.0004ms, 400"})
    void parsesANumberWithItsUnit(String text, long nanos) {
        assertEquals(nanos, Durations.parse(text));
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "3000000000, 3s",
            "1500000000, 1.5s",
            "120000000, 120ms",
            "1500000, 1.5ms",
            "250000, 250us",
            "17, 17ns"})
    void formatsInTheLargestUnitThatKeepsItShort(long nanos, String text) {
        assertEquals(text, Durations.format(nanos));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 999, 1_000, 1_234_000, 20_000_000, 1_500_000_000L, 7_200_000_000_000L, 1_000_000_001L})
    void whatIsFormattedParsesBackToTheSameDuration(long nanos) {
        assertEquals(nanos, Durations.parse(Durations.format(nanos)));
    }

    @Test
    void aNumberWithoutAUnitNamesTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("20"));
        assertEquals("'20' is not a duration; write a number and a unit, such as 250us, 20ms, 1.5s or 2m",
                e.getMessage());
    }

    @Test
    void anUnknownUnitListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("20days"));
        assertEquals("'20days' has an unknown unit 'days'; use ns, us, ms, s, m or h", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ms", "", "1.2.3s", "-5ms"})
    void whatIsNotANumberIsRefused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("is not a duration"), e.getMessage());
    }

    @Test
    void aDurationTooLongForTheClockIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse("9999999999h"));
        assertEquals("'9999999999h' is too long", e.getMessage());
    }
}
