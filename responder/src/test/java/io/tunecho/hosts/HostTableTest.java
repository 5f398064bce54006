package io.tunecho.hosts;

import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostTableTest {
    private static int ip(String s) {
        return IpCidr.parse(s).ipv4Address();
    }

    private static List<IpCidr> cidrs(String... s) {
        return java.util.Arrays.stream(s).map(IpCidr::parse).toList();
    }

    private static HostEntry.Role role(HostTable t, String address) {
        HostEntry e = t.lookupIpv4(ip(address));
        return e == null ? null : e.role();
    }

    @Test
    void defaultIsTheInterfaceSubnetWithoutItsOwnAddressAndEnds() {
        HostTable t = HostTable.forInterface(IpCidr.parse("198.18.0.1/24"), List.of());
        assertEquals(HostEntry.Role.NETWORK, role(t, "198.18.0.0"));
        assertEquals(HostEntry.Role.OWN_ADDRESS, role(t, "198.18.0.1"));
        assertTrue(t.answersIpv4(ip("198.18.0.2")));
        assertTrue(t.answersIpv4(ip("198.18.0.254")));
        assertEquals(HostEntry.Role.BROADCAST, role(t, "198.18.0.255"));
        assertNull(role(t, "198.18.1.2"));
        assertEquals("198.18.0.0/24 except 198.18.0.1", t.toString());
        assertEquals(List.of(), t.routesOutside(IpCidr.parse("198.18.0.1/24")));
    }

    @Test
    void anExplicitListReplacesTheDefault() {
        HostTable t = HostTable.forInterface(IpCidr.parse("198.18.0.1/24"), cidrs("198.18.0.8/29", "203.0.113.5"));
        assertFalse(t.answersIpv4(ip("198.18.0.8")));  // the /29's network address
        assertTrue(t.answersIpv4(ip("198.18.0.9")));
        assertTrue(t.answersIpv4(ip("198.18.0.14")));
        assertEquals(HostEntry.Role.BROADCAST, role(t, "198.18.0.15")); // the /29's broadcast
        assertFalse(t.answersIpv4(ip("198.18.0.2")));
        assertTrue(t.answersIpv4(ip("203.0.113.5")));  // a bare address is a /32
        assertFalse(t.answersIpv4(ip("203.0.113.6")));
        assertEquals(cidrs("203.0.113.5/32"), t.routesOutside(IpCidr.parse("198.18.0.1/24")));
    }

    @Test
    void anAnswerOutsideTheSubnetShowsInTheDescription() {
        HostTable t = HostTable.forInterface(IpCidr.parse("10.9.0.1/24"), cidrs("198.18.0.0/24"));
        assertEquals("198.18.0.0/24 (routed: outside 10.9.0.0/24) except 10.9.0.1", t.toString());
    }

    @Test
    void theInterfaceAddressIsNeverAnsweredEvenWhenListed() {
        HostTable t = HostTable.forInterface(IpCidr.parse("198.18.0.1/24"), cidrs("198.18.0.0/24", "198.18.0.1"));
        assertFalse(t.answersIpv4(ip("198.18.0.1")));
    }

    @Test
    void aSlash31HasNoNetworkOrBroadcastAddress() {
        HostTable t = HostTable.forInterface(IpCidr.parse("198.18.0.0/31"), List.of());
        assertEquals(HostEntry.Role.OWN_ADDRESS, role(t, "198.18.0.0"));
        assertTrue(t.answersIpv4(ip("198.18.0.1")));
    }

    @Test
    void aSlash30AnswersItsOneOtherHost() {
        HostTable t = HostTable.forInterface(IpCidr.parse("198.18.0.1/30"), List.of());
        assertFalse(t.answersIpv4(ip("198.18.0.0")));
        assertFalse(t.answersIpv4(ip("198.18.0.1")));
        assertTrue(t.answersIpv4(ip("198.18.0.2")));
        assertFalse(t.answersIpv4(ip("198.18.0.3")));
    }

    @Test
    void aSlash32InterfaceAnswersOnlyTheList() {
        HostTable t = HostTable.forInterface(IpCidr.parse("198.18.0.1/32"), cidrs("10.1.0.0/16"));
        assertTrue(t.answersIpv4(ip("10.1.200.3")));
        assertEquals(HostEntry.Role.BROADCAST, role(t, "10.1.255.255"));
    }
}
