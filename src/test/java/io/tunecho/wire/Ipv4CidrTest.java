package io.tunecho.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4CidrTest {

    @Test
    void parsesAnInterfaceAddress() {
        Ipv4Cidr c = Ipv4Cidr.parse("198.18.0.1/24");
        assertEquals(0xC6120001, c.address());
        assertEquals(24, c.prefixLength());
        assertEquals(0xC6120000, c.network());
        assertEquals(0xC61200FF, c.broadcast());
        assertEquals(0xFFFFFF00, c.netmask());
        assertEquals("198.18.0.0/24", c.subnet().toString());
        assertEquals("198.18.0.1/24", c.toString());
        assertTrue(c.contains(0xC6120042));
        assertFalse(c.contains(0xC6130001));
    }

    @Test
    void aBareAddressIsASlash32() {
        assertEquals(Ipv4Cidr.of(0x0A000001, 32), Ipv4Cidr.parse("10.0.0.1"));
    }

    @Test
    void slash0ContainsEverything() {
        assertTrue(Ipv4Cidr.parse("0.0.0.0/0").contains(0xFFFFFFFF));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/", "a.b.c.d",
            "1.2.3.4/-1", "1..2.3", " / ", "1.2.3.4/2x", "example.com"})
    void rejectsWhatIsNotACidr(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'") || text.isEmpty(), e.getMessage());
    }
}
