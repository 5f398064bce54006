package io.tunecho.config;

import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    private static String error(String... args) {
        return assertThrows(ConfigException.class, () -> CommandLine.parse(args)).getMessage();
    }

    @Test
    void noArgumentsMeansTheDefaults() throws Exception {
        assertEquals(TunechoConfig.defaults(), CommandLine.parse().config());
    }

    @Test
    void everyOption() throws Exception {
        TunechoConfig c = CommandLine.parse("--interface", "tun3", "--address", "10.9.0.1/24", "--mtu", "1280",
                "--answer", "10.9.0.0/25", "--queues", "2", "--transport", "io_uring").config();
        assertEquals(Transport.IO_URING, c.transport());
        assertEquals(2, c.queues());
        assertEquals("tun3", c.interfaceName());
        assertEquals(IpCidr.parse("10.9.0.1/24"), c.interfaceAddress());
        assertEquals(1280, c.mtu());
        assertEquals(List.of(IpCidr.parse("10.9.0.0/25")), c.answer());
    }

    /** Found by ConfigFuzzTest: an argument with a newline made the one-line error two lines. */
    @Test
    void controlCharactersInAnArgumentAreEscapedInTheMessage() {
        assertEquals("unexpected argument 'U\\n\\u001b[2J' (options start with --; try --help)",
                error("U\n\u001b[2J"));
    }

    /** Found by ConfigFuzzTest: a NUL in the config file's name escaped as an InvalidPathException. */
    @Test
    void aConfigFileNameThatCannotBeAPathIsAnError() {
        assertEquals("--config 'a\\u0000b' is not a file name: Nul character not allowed", error("--config", "a\0b"));
    }

    @Test
    void equalsSignForm() throws Exception {
        assertEquals("tun4", CommandLine.parse("--interface=tun4").config().interfaceName());
    }

    @Test
    void answersRepeatAndSplitOnCommas() throws Exception {
        TunechoConfig c = CommandLine.parse("--answer", "10.0.0.0/24,10.1.0.0/24", "--answer=192.0.2.1").config();
        assertEquals(List.of(IpCidr.parse("10.0.0.0/24"), IpCidr.parse("10.1.0.0/24"),
                IpCidr.parse("192.0.2.1/32")), c.answer());
    }

    @Test
    void optionsOverrideTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "interface:\n  name: tun9\n  mtu: 1400\nanswer: [198.18.0.0/26]\n");
        TunechoConfig c = CommandLine.parse("--mtu", "1300", "--config", file.toString(), "--answer", "198.18.0.64/26")
                .config();
        assertEquals("tun9", c.interfaceName());
        assertEquals(1300, c.mtu());
        assertEquals(List.of(IpCidr.parse("198.18.0.64/26")), c.answer());
    }

    @Test
    void transportIsAutoUnlessGiven() throws Exception {
        assertEquals(Transport.AUTO, CommandLine.parse().config().transport());
        assertEquals(Transport.AUTO, CommandLine.parse("--transport", "auto").config().transport());
        assertEquals(Transport.EPOLL, CommandLine.parse("--transport", "epoll").config().transport());
        String usage = CommandLine.usage().replaceAll("\\s+", " ");
        assertTrue(usage.contains("auto, epoll or io_uring; default: auto"), usage);
    }

    @Test
    void help() throws Exception {
        assertEquals(CommandLine.Action.HELP, CommandLine.parse("-h").action());
        assertTrue(CommandLine.usage().contains("--interface NAME"));
        assertEquals(CommandLine.Action.VERSION, CommandLine.parse("--version").action());
        assertEquals(CommandLine.Action.CHECK, CommandLine.parse("--check", "--mtu", "1400").action());
        assertEquals(CommandLine.Action.SERVE, CommandLine.parse("--mtu", "1400").action());
    }

    @Test
    void unknownOption() {
        assertEquals("unknown option '--mut' (try --help)", error("--mut", "1500"));
    }

    @Test
    void missingValue() {
        assertEquals("option --mtu needs a value (try --help)", error("--mtu"));
    }

    @Test
    void strayArgument() {
        assertTrue(error("tun0").contains("unexpected argument 'tun0'"));
    }

    @Test
    void badValues() {
        assertTrue(error("--mtu", "abc").startsWith("--mtu 'abc' is not a number"));
        assertTrue(error("--address", "10.0.0.1/99").startsWith("--address '10.0.0.1/99'"));
        assertTrue(error("--answer", "x").startsWith("--answer 'x'"));
        assertTrue(error("--interface", "").contains("empty"));
    }

    @Test
    void theHelpListsEverySettingWithAnOption() {
        String usage = CommandLine.usage().replaceAll("\\s+", " ");
        for (Setting<?> s : Settings.ALL) {
            if (s.option() != null) {
                assertTrue(usage.contains(s.option() + " " + s.metavar()), s.option());
                assertTrue(usage.contains(s.type().describe()), s.type().describe());
            }
        }
    }

    @Test
    void interfaceNamesFollowOneRule() {
        // "." passed the config checks and then failed at bind time with exit 1: it is a usage error.
        assertEquals("--interface '.' is not allowed ('.' and '..' are not interface names)", error("--interface", "."));
        assertTrue(error("--interface", "..").startsWith("--interface '..' is not allowed"));
        assertTrue(error("--interface", "a:b").contains("may not contain"));
        assertTrue(error("--interface", "abcdefghijklmnop").contains("longer than 15"));
    }

    @Test
    void errorsNameTheOptionAsTyped() {
        // Cross-setting checks say "--address" for a command-line value, not the file's key.
        String m = error("--address", "198.18.0.1/32");
        assertTrue(m.startsWith("--address 198.18.0.1/32 is a /32"), m);
        assertTrue(error("--address", "198.18.0.255/24").startsWith("--address 198.18.0.255/24 is its subnet's "
                + "broadcast address"));
    }

    @Test
    void theShippedFileFollowsTheAddressGivenOnTheCommandLine() throws Exception {
        // config/tunecho.yaml claims to change nothing: with it, --address alone moves the answered subnet too.
        TunechoConfig c = CommandLine.parse("--config", "config/tunecho.yaml", "--address", "10.9.0.1/24").config();
        assertEquals(List.of(), c.answer());
        assertEquals(CommandLine.parse("--address", "10.9.0.1/24").config(), c);
    }
}
