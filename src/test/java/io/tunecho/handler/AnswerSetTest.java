package io.tunecho.handler;

import io.tunecho.wire.Ipv4Cidr;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswerSetTest {
    private static int ip(String s) {
        return Ipv4Cidr.parse(s).address();
    }

    private static List<Ipv4Cidr> cidrs(String... s) {
        return java.util.Arrays.stream(s).map(Ipv4Cidr::parse).toList();
    }

    @Test
    void defaultIsTheInterfaceSubnetWithoutItsOwnAddressAndEnds() {
        AnswerSet a = AnswerSet.forInterface(Ipv4Cidr.parse("198.18.0.1/24"), List.of());
        assertFalse(a.contains(ip("198.18.0.0")));
        assertFalse(a.contains(ip("198.18.0.1")));
        assertTrue(a.contains(ip("198.18.0.2")));
        assertTrue(a.contains(ip("198.18.0.254")));
        assertFalse(a.contains(ip("198.18.0.255")));
        assertFalse(a.contains(ip("198.18.1.2")));
        assertTrue(a.isSubnetBroadcast(ip("198.18.0.255")));
        assertEquals("198.18.0.0/24 except 198.18.0.1", a.toString());
    }

    @Test
    void anExplicitListReplacesTheDefault() {
        AnswerSet a = AnswerSet.forInterface(Ipv4Cidr.parse("198.18.0.1/24"), cidrs("198.18.0.8/29", "203.0.113.5"));
        assertFalse(a.contains(ip("198.18.0.8")));  // the /29's network address
        assertTrue(a.contains(ip("198.18.0.9")));
        assertTrue(a.contains(ip("198.18.0.14")));
        assertFalse(a.contains(ip("198.18.0.15"))); // the /29's broadcast
        assertFalse(a.contains(ip("198.18.0.2")));
        assertTrue(a.contains(ip("203.0.113.5")));  // a bare address is a /32
        assertFalse(a.contains(ip("203.0.113.6")));
    }

    @Test
    void theInterfaceAddressIsNeverAnsweredEvenWhenListed() {
        AnswerSet a = AnswerSet.forInterface(Ipv4Cidr.parse("198.18.0.1/24"), cidrs("198.18.0.0/24", "198.18.0.1"));
        assertFalse(a.contains(ip("198.18.0.1")));
    }

    @Test
    void aSlash31HasNoNetworkOrBroadcastAddress() {
        AnswerSet a = AnswerSet.forInterface(Ipv4Cidr.parse("198.18.0.0/31"), List.of());
        assertFalse(a.contains(ip("198.18.0.0")));
        assertTrue(a.contains(ip("198.18.0.1")));
        assertFalse(a.isSubnetBroadcast(ip("198.18.0.1")));
    }

    @Test
    void aSlash30AnswersItsOneOtherHost() {
        AnswerSet a = AnswerSet.forInterface(Ipv4Cidr.parse("198.18.0.1/30"), List.of());
        assertFalse(a.contains(ip("198.18.0.0")));
        assertFalse(a.contains(ip("198.18.0.1")));
        assertTrue(a.contains(ip("198.18.0.2")));
        assertFalse(a.contains(ip("198.18.0.3")));
    }

    @Test
    void aSlash32InterfaceAnswersOnlyTheList() {
        AnswerSet a = AnswerSet.forInterface(Ipv4Cidr.parse("198.18.0.1/32"), cidrs("10.1.0.0/16"));
        assertTrue(a.contains(ip("10.1.200.3")));
        assertFalse(a.contains(ip("10.1.255.255")));
        assertTrue(a.isSubnetBroadcast(ip("10.1.255.255")));
    }

    @Test
    void countersListOnlyWhatHappened() {
        PacketCounters c = new PacketCounters();
        assertEquals("replied=0 dropped=0", c.toString());
        c.replied();
        c.drop(DropReason.IPV6);
        c.drop(DropReason.IPV6);
        c.drop(DropReason.FRAGMENT);
        assertEquals("replied=1 dropped=3 (ipv6=2 fragment=1)", c.toString());
    }
}
