package io.tunecho.config;

import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.PortSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code tcp} host setting: {@code tcp: { open: [PORTS] }}, its layering and its errors. */
class TcpConfigTest {
    private static TunechoConfig load(String yaml) throws ConfigException {
        TunechoConfig c = ConfigLoader.load(yaml, "lab.yaml", TunechoConfig.defaults());
        c.validate();
        return c;
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void openPortsParseSortedWithoutDuplicates() throws Exception {
        TunechoConfig c = load("profiles:\n  web: { tcp: { open: [443, 22, 80, 22] } }\n");
        HostSettings web = c.profiles().get("web");
        assertEquals(PortSet.of(22, 80, 443), web.get(HostSetting.TCP));
        assertEquals("[22, 80, 443]", web.get(HostSetting.TCP).toString());
        assertEquals("{open: [22, 80, 443]}", web.describe().get("tcp"));
    }

    @Test
    void aSinglePortAndAnEmptyListAreFine() throws Exception {
        assertEquals(PortSet.of(8080),
                load("profiles:\n  a: { tcp: { open: 8080 } }\n").profiles().get("a").get(HostSetting.TCP));
        assertEquals(PortSet.NONE,
                load("profiles:\n  a: { tcp: { open: [] } }\n").profiles().get("a").get(HostSetting.TCP));
    }

    @Test
    void unsetMeansNotSet() throws Exception {
        assertNull(load("profiles:\n  a: { ttl: 128 }\n").profiles().get("a").get(HostSetting.TCP));
        assertEquals(PortSet.NONE, HostSettings.BUILT_IN.get(HostSetting.TCP),
                "no port is open unless the config says so");
    }

    @Test
    void theBuiltHostTableLayersProfileAndEntry() throws Exception {
        TunechoConfig c = load(String.join("\n",
                "profiles:",
                "  default: { tcp: { open: [22] } }",
                "  web: { tcp: { open: [80, 443] } }",
                "hosts:",
                "  - { match: 198.18.0.10, profile: web }",
                "  - { match: 198.18.0.11, profile: web, tcp: { open: [] } }",
                "  - match: 198.18.0.12",
                "    timeline: { steps: [ { for: 1s, tcp: { open: [25] } } ] }",
                ""));
        HostTable t = HostTable.build(c.hostConfig(), null, Clock.SYSTEM);
        assertEquals(PortSet.of(22), t.lookupIpv4(0xC6120002).baseBehaviour().tcpOpen(), "the default profile");
        assertEquals(PortSet.of(80, 443), t.lookupIpv4(0xC612000A).baseBehaviour().tcpOpen(), "a profile replaces");
        assertEquals(PortSet.NONE, t.lookupIpv4(0xC612000B).baseBehaviour().tcpOpen(), "[] closes them all");
        assertEquals(PortSet.of(22), t.lookupIpv4(0xC612000C).baseBehaviour().tcpOpen());
        assertTrue(t.lookupIpv4(0xC612000C).isTimed());
    }

    @Test
    void errorsNameTheFileLineAndFix() {
        assertEquals("lab.yaml:2: profiles.a.tcp.open 0 is out of range; give a port 1..65535",
                error("profiles:\n  a: { tcp: { open: [22, 0] } }\n"));
        assertEquals("lab.yaml:2: profiles.a.tcp.open 70000 is out of range; give a port 1..65535",
                error("profiles:\n  a: { tcp: { open: [70000] } }\n"));
        assertEquals("lab.yaml:2: profiles.a.tcp.open 'ssh' is not a number; give a port 1..65535",
                error("profiles:\n  a: { tcp: { open: [ssh] } }\n"));
        String m = error("profiles:\n  a: { tcp: { closed: [22] } }\n");
        assertTrue(m.startsWith("lab.yaml:2: unknown key 'closed' in profiles.a.tcp (known keys: open)"), m);
        m = error("profiles:\n  a: { tcp: [22, 80] }\n");
        assertTrue(m.startsWith("lab.yaml:2: profiles.a.tcp must be a mapping of open"), m);
        m = error("profiles:\n  a: { tcp: {} }\n");
        assertTrue(m.contains("profiles.a.tcp needs 'open'"), m);
        m = error("hosts:\n  - { match: 198.18.0.9, tcp: { open: [-1] } }\n");
        assertTrue(m.contains("hosts[0].tcp.open -1 is out of range; give a port 1..65535"), m);
    }
}
