package io.tunecho.app.config;

import io.tunecho.wire.Ipv4Cidr;
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
        assertEquals(TunechoConfig.Transport.IO_URING, c.transport());
        assertEquals(2, c.queues());
        assertEquals("tun3", c.interfaceName());
        assertEquals(Ipv4Cidr.parse("10.9.0.1/24"), c.interfaceAddress());
        assertEquals(1280, c.mtu());
        assertEquals(List.of(Ipv4Cidr.parse("10.9.0.0/25")), c.answer());
    }

    @Test
    void equalsSignForm() throws Exception {
        assertEquals("tun4", CommandLine.parse("--interface=tun4").config().interfaceName());
    }

    @Test
    void answersRepeatAndSplitOnCommas() throws Exception {
        TunechoConfig c = CommandLine.parse("--answer", "10.0.0.0/24,10.1.0.0/24", "--answer=192.0.2.1").config();
        assertEquals(List.of(Ipv4Cidr.parse("10.0.0.0/24"), Ipv4Cidr.parse("10.1.0.0/24"),
                Ipv4Cidr.parse("192.0.2.1/32")), c.answer());
    }

    @Test
    void optionsOverrideTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "interface:\n  name: tun9\n  mtu: 1400\nanswer: [198.18.0.0/26]\n");
        TunechoConfig c = CommandLine.parse("--mtu", "1300", "--config", file.toString(), "--answer", "198.18.0.64/26")
                .config();
        assertEquals("tun9", c.interfaceName());
        assertEquals(1300, c.mtu());
        assertEquals(List.of(Ipv4Cidr.parse("198.18.0.64/26")), c.answer());
    }

    @Test
    void help() throws Exception {
        assertTrue(CommandLine.parse("-h").helpRequested());
        assertTrue(CommandLine.usage().contains("--interface NAME"));
        assertTrue(CommandLine.parse("--version").versionRequested());
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
        assertTrue(error("--address", "10.0.0.1/99").startsWith("--address: '10.0.0.1/99'"));
        assertTrue(error("--answer", "x").startsWith("--answer: 'x'"));
        assertTrue(error("--interface", "").contains("empty"));
    }
}
