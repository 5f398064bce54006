package io.tunecho.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --user} / {@code user:} and {@code --check}. */
class UserAndCheckOptionsTest {

    @Test
    void noUserByDefault() throws Exception {
        assertNull(CommandLine.parse().config().user());
        assertNull(TunechoConfig.defaults().user());
    }

    @Test
    void userOnTheCommandLine() throws Exception {
        assertEquals("nobody", CommandLine.parse("--user", "nobody").config().user());
        assertEquals("tunecho", CommandLine.parse("--user=tunecho").config().user());
    }

    @Test
    void userInTheFileAndTheCommandLineWins() throws Exception {
        TunechoConfig file = ConfigLoader.load("user: daemon\n", "t.yaml", TunechoConfig.defaults());
        assertEquals("daemon", file.user());
        assertEquals("daemon", file.with(Settings.INTERFACE_NAME, "tun9", "--interface").user());
    }

    @Test
    void badUserNames() {
        assertEquals("--user '' is not a user name; give 1 to 32 characters such as nobody",
                assertThrows(ConfigException.class, () -> CommandLine.parse("--user=")).getMessage());
        assertEquals("--user 'a b' is not a user name; use letters, digits, '_', '-', '.'",
                assertThrows(ConfigException.class, () -> CommandLine.parse("--user", "a b")).getMessage());
        assertEquals("--user '-x' is not a user name; give 1 to 32 characters such as nobody",
                assertThrows(ConfigException.class, () -> CommandLine.parse("--user=-x")).getMessage());
        assertEquals("t.yaml:1: user 'r/oot' is not a user name; use letters, digits, '_', '-', '.'",
                assertThrows(ConfigException.class,
                        () -> ConfigLoader.load("user: r/oot\n", "t.yaml", TunechoConfig.defaults())).getMessage());
        assertEquals("t.yaml:1: user must be a single value, not a list",
                assertThrows(ConfigException.class,
                        () -> ConfigLoader.load("user: [a, b]\n", "t.yaml", TunechoConfig.defaults())).getMessage());
    }

    @Test
    void userNeedsAValue() {
        assertEquals("option --user needs a value (try --help)",
                assertThrows(ConfigException.class, () -> CommandLine.parse("--user")).getMessage());
    }

    @Test
    void checkIsAFlagThatKeepsTheOtherOptions() throws Exception {
        assertEquals(CommandLine.Action.SERVE, CommandLine.parse().action());
        CommandLine cli = CommandLine.parse("--check", "--interface", "tun5");
        assertEquals(CommandLine.Action.CHECK, cli.action());
        assertEquals("tun5", cli.config().interfaceName());
        assertEquals(CommandLine.Action.CHECK, CommandLine.parse("--interface", "tun5", "--check").action());
    }

    @Test
    void checkStillValidates() {
        assertEquals("--mtu 10 is out of range; give an MTU of 68..65535",
                assertThrows(ConfigException.class, () -> CommandLine.parse("--check", "--mtu", "10")).getMessage());
    }

    @Test
    void usageNamesBoth() {
        assertTrue(CommandLine.usage().contains("--user NAME"));
        assertTrue(CommandLine.usage().contains("--check"));
    }
}
