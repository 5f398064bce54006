package io.tunecho.drill;

import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which addresses a label value holds whole: as monitoring programs write targets, and what only looks alike. */
class LabelAddressesTest {
    private static List<String> find(String text) {
        List<IpCidr> out = new ArrayList<>();
        LabelAddresses.find(text, out);
        return out.stream().map(IpCidr::addressText).toList();
    }

    @Test
    void ipv4BareWithAPortAndInUrls() {
        assertEquals(List.of("198.18.0.30"), find("198.18.0.30"));
        assertEquals(List.of("198.18.0.30"), find("198.18.0.30:80"));
        assertEquals(List.of("198.18.0.30"), find("http://198.18.0.30/"));
        assertEquals(List.of("198.18.0.30"), find("https://198.18.0.30:8443/health?x=1"));
        assertEquals(List.of("198.18.0.30"), find("icmp://198.18.0.30"));
        assertEquals(List.of("198.18.0.30"), find("tcp-198.18.0.30"));
        assertEquals(List.of("198.18.0.30"), find("host 198.18.0.30."));
    }

    @Test
    void ipv6BareAndInBrackets() {
        assertEquals(List.of("2001:db8::5"), find("2001:db8::5"));
        assertEquals(List.of("2001:db8::5"), find("[2001:db8::5]:80"));
        assertEquals(List.of("2001:db8::5"), find("http://[2001:db8::5]/"));
        assertEquals(List.of("2001:db8::5"), find("https://[2001:DB8:0::5]:8443/x"));
        assertEquals(List.of(IpCidr.parse("::ffff:198.18.0.30").addressText()), find("[::ffff:198.18.0.30]:80"),
                "an IPv4-mapped IPv6 address is that, not the IPv4 address");
    }

    @Test
    void onlyWholeAddresses() {
        assertEquals(List.of("198.18.0.30"), find("198.18.0.30"), "198.18.0.3 is only a prefix of it");
        assertEquals(List.of(), find("198.18.0.300"));
        assertEquals(List.of(), find("198.18.0"));
        assertEquals(List.of(), find("1.198.18.0.30"));
        assertEquals(List.of(), find("host198.18.0.30"));
        assertEquals(List.of(), find("198.18.0.30a"));
        assertEquals(List.of(), find("198.18.0.30:80:90"));
        assertEquals(List.of(), find("198.18.0.30:http"));
        assertEquals(List.of(), find("198.18.0.30:123456"));
        assertEquals(List.of(), find("2001:db8::5::6"));
        assertEquals(List.of(), find("2001:db8::g"));
        assertEquals(List.of(), find("12:30:45"));
        assertEquals(List.of(), find("HostDown"));
        assertEquals(List.of(), find(""));
    }

    @Test
    void everyAddressOfAValueInOrder() {
        assertEquals(List.of("198.18.0.31", "2001:db8::5", "198.18.0.30"),
                find("198.18.0.31,[2001:db8::5]:443 198.18.0.30/32"));
    }
}
