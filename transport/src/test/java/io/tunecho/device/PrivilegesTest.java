package io.tunecho.device;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user lookup and the reading of {@code /proc/.../status}; the drop itself is tested in PrivilegeDropIT. */
class PrivilegesTest {
    private static final Privileges.User NOBODY = new Privileges.User("nobody", 65534, 65534);

    private static List<String> status(String uid, String gid, String groups, String eff, String prm, String amb) {
        return List.of("Name:\tjava", "Umask:\t0022", "State:\tS (sleeping)", "Uid:\t" + uid, "Gid:\t" + gid,
                "FDSize:\t256", "Groups:\t" + groups, "NSpid:\t7", "CapInh:\t0000000000000000",
                "CapPrm:\t" + prm, "CapEff:\t" + eff, "CapBnd:\t000001ffffffffff", "CapAmb:\t" + amb,
                "NoNewPrivs:\t0");
    }

    private static final String NONE = "0000000000000000";

    @Test
    void rootIsRefused() {
        DeviceException e = assertThrows(DeviceException.class, () -> Privileges.lookup("root"));
        assertEquals("user 'root' for --user is uid 0, which keeps every privilege; give an unprivileged user (for "
                + "example nobody)", e.getMessage());
    }

    @Test
    void userToString() {
        assertEquals("nobody (uid 65534, gid 65534)", NOBODY.toString());
    }

    @Test
    void nobodyLookup() throws Exception {
        Privileges.User nobody = Privileges.lookup("nobody");
        assertEquals("nobody", nobody.name());
        assertTrue(nobody.uid() != 0 && nobody.gid() != 0, nobody.toString());
    }

    @Test
    void unknownUser() {
        DeviceException e = assertThrows(DeviceException.class, () -> Privileges.lookup("tunecho-no-such-user"));
        assertEquals("unknown user 'tunecho-no-such-user' for --user; give an existing user (for example nobody) or "
                + "create one (useradd --system --no-create-home tunecho-no-such-user)", e.getMessage());
    }

    @Test
    void credentialsOfADroppedThread() {
        Privileges.Credentials c = Privileges.Credentials.parse(
                status("65534\t65534\t65534\t65534", "65534\t65534\t65534\t65534", " ", NONE, NONE, NONE));
        assertNull(c.mismatch(NOBODY));
    }

    @Test
    void rootIsNotNobody() {
        Privileges.Credentials c = Privileges.Credentials.parse(
                status("0\t0\t0\t0", "0\t0\t0\t0", "0 ", "000001ffffffffff", "000001ffffffffff", NONE));
        assertEquals("its user ids are 0 0 0 0", c.mismatch(NOBODY));
    }

    @Test
    void aSavedRootUidIsFound() {
        Privileges.Credentials c = Privileges.Credentials.parse(
                status("65534\t65534\t0\t65534", "65534\t65534\t65534\t65534", "", NONE, NONE, NONE));
        assertEquals("its user ids are 65534 65534 0 65534", c.mismatch(NOBODY));
    }

    @Test
    void groupsAreFound() {
        Privileges.Credentials c = Privileges.Credentials.parse(
                status("65534\t65534\t65534\t65534", "65534\t65534\t65534\t0", "", NONE, NONE, NONE));
        assertEquals("its group ids are 65534 65534 65534 0", c.mismatch(NOBODY));
        c = Privileges.Credentials.parse(
                status("65534\t65534\t65534\t65534", "65534\t65534\t65534\t65534", "0 27", NONE, NONE, NONE));
        assertEquals("it keeps supplementary groups 0 27", c.mismatch(NOBODY));
    }

    @Test
    void keptCapabilitiesAreFound() {
        String netAdmin = "0000000000001000";
        for (int set = 0; set < 3; set++) {
            Privileges.Credentials c = Privileges.Credentials.parse(status("65534\t65534\t65534\t65534",
                    "65534\t65534\t65534\t65534", "", set == 0 ? netAdmin : NONE, set == 1 ? netAdmin : NONE,
                    set == 2 ? netAdmin : NONE));
            assertTrue(c.mismatch(NOBODY).startsWith("it keeps capabilities (CapEff "), c.mismatch(NOBODY));
        }
    }

    @Test
    void theCurrentThreadParses() throws Exception {
        Privileges.Credentials c = Privileges.Credentials.parse(
                java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status")));
        assertEquals(4, c.uids().length);
        assertEquals(4, c.gids().length);
    }

    @Test
    void notAStatusFile() {
        assertThrows(IllegalArgumentException.class, () -> Privileges.Credentials.parse(List.of("Name:\tx")));
    }
}
