package io.tunecho.config;

import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static TunechoConfig load(String yaml) throws ConfigException {
        TunechoConfig c = ConfigLoader.load(yaml, "test.yaml", TunechoConfig.defaults());
        c.validate();
        return c;
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void theShippedFileIsTheBuiltInDefaults() throws Exception {
        TunechoConfig shipped = ConfigLoader.load(Path.of("config/tunecho.yaml"), TunechoConfig.defaults());
        assertEquals(TunechoConfig.defaults(), shipped);
        for (Setting<?> s : Settings.ALL) {
            if (s.defaultValue() == null) {
                assertFalse(shipped.isSet(s), s + " has no fixed default: the shipped file must leave it unset");
            }
        }
    }

    @Test
    void theShippedFileDocumentsEveryKey() throws Exception {
        String text = Files.readString(Path.of("config/tunecho.yaml"));
        for (Setting<?> s : Settings.ALL) {
            String indent = "  ".repeat(s.key().split("\\.").length - 1);
            assertTrue(text.contains("\n" + indent + s.name() + ":") || text.contains("\n" + indent + "# " + s.name() + ":"),
                    "config/tunecho.yaml does not document " + s.key());
        }
    }

    @Test
    void defaults() {
        TunechoConfig d = TunechoConfig.defaults();
        assertEquals("tun0", d.interfaceName());
        assertEquals(IpCidr.parse("198.18.0.1/24"), d.interfaceAddress());
        assertEquals(1500, d.mtu());
        assertEquals(List.of(), d.answer());
    }

    @Test
    void aFullFile() throws Exception {
        TunechoConfig c = load("interface:\n  name: tun7\n  address: 10.9.0.1/16\n  mtu: 9000\n"
                + "answer:\n  - 10.9.0.0/24\n  - 192.0.2.7\n");
        assertEquals("tun7", c.interfaceName());
        assertEquals(IpCidr.parse("10.9.0.1/16"), c.interfaceAddress());
        assertEquals(9000, c.mtu());
        assertEquals(List.of(IpCidr.parse("10.9.0.0/24"), IpCidr.parse("192.0.2.7/32")), c.answer());
    }

    @Test
    void aPartialFileKeepsTheOtherDefaults() throws Exception {
        TunechoConfig c = load("interface:\n  mtu: 1400\n");
        assertEquals("tun0", c.interfaceName());
        assertEquals(1400, c.mtu());
    }

    @Test
    void anEmptyFileIsTheDefaults() throws Exception {
        assertEquals(TunechoConfig.defaults(), load(""));
        assertEquals(TunechoConfig.defaults(), load("# only a comment\n"));
    }

    @Test
    void anAnswerMayBeOneValue() throws Exception {
        assertEquals(List.of(IpCidr.parse("198.18.0.0/25")), load("answer: 198.18.0.0/25\n").answer());
    }

    @Test
    void unknownTopLevelKey() {
        String m = error("interface:\n  name: tun0\nanswers:\n  - 198.18.0.0/24\n");
        assertEquals("test.yaml:3: unknown key 'answers' in the top level (known keys: interface, transport, answer, profiles, "
                + "hosts, seed, max-delayed, user, limits, http, capture, events, log, probes, scenario)", m);
    }

    @Test
    void unknownInterfaceKey() {
        String m = error("interface:\n  nmae: tun1\n");
        assertEquals("test.yaml:2: unknown key 'nmae' in interface (known keys: name, address, address6, mtu, queues, "
                + "txqueuelen, recreate)", m);
    }

    @Test
    void duplicateKey() {
        assertTrue(error("interface:\n  mtu: 1400\n  mtu: 1500\n").contains("test.yaml:3: duplicate key 'mtu'"));
    }

    @Test
    void badCidr() {
        String m = error("interface:\n  address: 198.18.0.300/24\n");
        assertTrue(m.startsWith("test.yaml:2: interface.address '198.18.0.300/24'"), m);
    }

    @Test
    void anInterfaceAddressNeedsAPrefix() {
        assertTrue(error("interface:\n  address: 198.18.0.1\n").contains("needs a prefix length"));
    }

    @Test
    void badAnswerEntry() {
        String m = error("answer:\n  - 198.18.0.0/24\n  - 10.0.0.0/40\n");
        assertTrue(m.startsWith("test.yaml:3: answer '10.0.0.0/40'"), m);
    }

    @Test
    void mtuOutOfRange() {
        assertTrue(error("interface:\n  mtu: 20\n").contains("interface.mtu 20 is out of range; give an MTU of 68..65535"));
        assertTrue(error("interface:\n  mtu: 70000\n").contains("out of range"));
    }

    @Test
    void queues() throws Exception {
        assertEquals(4, load("interface:\n  queues: 4\n").queues());
        assertTrue(error("interface:\n  queues: 0\n").contains("interface.queues 0 is out of range; give 1..64"));
    }

    @Test
    void transport() throws Exception {
        assertEquals(Transport.IO_URING, load("transport: io_uring\n").transport());
        assertEquals(Transport.EPOLL, load("transport: epoll\n").transport());
        assertEquals(Transport.AUTO, load("transport: auto\n").transport());
        assertEquals(Transport.AUTO, TunechoConfig.defaults().transport());
        assertEquals("test.yaml:1: transport 'uring' is not valid; give auto, epoll or io_uring",
                error("transport: uring\n"));
    }

    @Test
    void mtuNotANumber() {
        assertTrue(error("interface:\n  mtu: big\n").contains("'big' is not a number"));
    }

    @Test
    void nameTooLong() {
        assertTrue(error("interface:\n  name: abcdefghijklmnop\n").contains("longer than 15"));
    }

    @Test
    void nameWithASlash() {
        assertTrue(error("interface:\n  name: tun/0\n").contains("may not contain"));
    }

    @Test
    void aListWhereAMappingBelongs() {
        assertTrue(error("interface:\n  - tun0\n").contains("interface must be a mapping"));
    }

    @Test
    void aMappingWhereAValueBelongs() {
        assertTrue(error("interface:\n  mtu:\n    value: 3\n").contains("interface.mtu must be a single value"));
    }

    @Test
    void aKeyWithoutAValue() {
        assertTrue(error("interface:\n  name:\n").contains("interface.name has no value"));
    }

    @Test
    void notYaml() {
        assertTrue(error("interface: [\n").startsWith("test.yaml"), error("interface: [\n"));
    }

    @Test
    void theNetworkAddressIsNoInterfaceAddress() {
        assertTrue(error("interface:\n  address: 198.18.0.0/24\n").contains("network address; use a host address "
                + "such as 198.18.0.1/24"));
    }

    @Test
    void aSlash32NeedsAnAnswerList() throws Exception {
        assertTrue(error("interface:\n  address: 198.18.0.1/32\n").contains("no other address to answer"));
        assertEquals(32, load("interface:\n  address: 198.18.0.1/32\nanswer: [10.0.0.0/8]\n")
                .interfaceAddress().prefixLength());
    }

    @Test
    void aMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        String m = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, TunechoConfig.defaults()))
                .getMessage();
        assertEquals("cannot read config " + missing + ": no such file", m);
    }

    @Test
    void aFileNamesItselfInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, "interface:\n  mtu: 1\n");
        String m = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, TunechoConfig.defaults()))
                .getMessage();
        assertTrue(m.startsWith(file + ":2: interface.mtu 1 is out of range"), m);
    }
}
