package io.tunecho.control;

import io.tunecho.config.ConfigException;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's routes follow the host table: new prefixes outside the interface's subnet are routed before the new
 * table is in force, all or none (a failure half way deletes what it had added and nothing changes); routes nothing
 * answers any more go once it is in force.
 */
class RouteRollbackTest {
    private static final IpCidr NET5 = IpCidr.parse("198.18.5.0/24");
    private static final IpCidr NET6 = IpCidr.parse("198.18.6.0/24");
    private static final IpCidr NET7 = IpCidr.parse("198.18.7.0/24");
    private static final IpCidr NET9 = IpCidr.parse("198.18.9.0/24");

    /** Routes in a set; the {@code failAt}-th call (1 for the first, 0 for none) fails like a vanished interface. */
    private static final class FakeRoutes implements KernelRoutes {
        final Set<IpCidr> routes = new LinkedHashSet<>();
        final List<String> calls = new ArrayList<>();
        int failAt;
        String failing = "add";

        @Override
        public void add(IpCidr prefix) throws IOException {
            call("add", prefix);
            routes.add(prefix);
        }

        @Override
        public void delete(IpCidr prefix) throws IOException {
            call("delete", prefix);
            routes.remove(prefix);
        }

        private void call(String what, IpCidr prefix) throws IOException {
            calls.add(what + " " + prefix);
            if (what.equals(failing) && calls.size() == failAt) {
                throw new IOException("No such device");
            }
        }
    }

    private final FakeRoutes routes = new FakeRoutes();
    private final ControlFixture f;

    RouteRollbackTest() throws Exception {
        f = new ControlFixture("hosts:\n  - { match: 198.18.9.0/24, ttl: 99 }\n", routes);
        routes.routes.add(NET9); // routed at start-up, as the server does
    }

    @AfterEach
    void close() {
        f.close();
    }

    private static String hosts(String... matches) {
        StringBuilder sb = new StringBuilder("hosts:\n");
        for (String m : matches) {
            sb.append("  - { match: ").append(m).append(" }\n");
        }
        return sb.toString();
    }

    @Test
    void aFailureHalfWayDeletesTheRoutesItAddedAndChangesNothing() throws Exception {
        HostTable before = f.control.current();
        routes.failAt = 3;
        ConfigException e = assertThrows(ConfigException.class, () -> f.control.reload(
                ControlFixture.config(hosts("198.18.9.0/24", "198.18.5.0/24", "198.18.6.0/24", "198.18.7.0/24"))));
        assertEquals("cannot route the new host entries into tunctl0: No such device; nothing was changed",
                e.getMessage());
        assertEquals(List.of("add " + NET5, "add " + NET6, "add " + NET7, "delete " + NET5, "delete " + NET6),
                routes.calls);
        assertEquals(Set.of(NET9), routes.routes);
        assertSame(before, f.control.current());
        assertEquals(List.of(), f.events());
        assertEquals(1, f.control.reloadCounts()[1]);
    }

    @Test
    void routesGoingAwayStayUntilTheNewRoutesAreIn() throws Exception {
        routes.failAt = 2;
        assertThrows(ConfigException.class, () -> f.control.reload(
                ControlFixture.config(hosts("198.18.5.0/24", "198.18.6.0/24"))));
        assertEquals(List.of("add " + NET5, "add " + NET6, "delete " + NET5), routes.calls);
        assertEquals(Set.of(NET9), routes.routes, "the route of the entry that was to go is still there");
    }

    @Test
    void aChangeThatRoutesAddsFirstAndDeletesOnceInForce() throws Exception {
        f.control.reload(ControlFixture.config(hosts("198.18.5.0/24", "198.18.6.0/24")));
        assertEquals(List.of("add " + NET5, "add " + NET6, "delete " + NET9), routes.calls);
        assertEquals(Set.of(NET5, NET6), routes.routes);
        assertEquals(List.of(NET5, NET6), f.control.current().routesOutside(f.control.config().hostConfig().subnets()));
    }

    @Test
    void aRouteThatCannotBeDeletedDoesNotUndoTheChange() throws Exception {
        routes.failing = "delete";
        routes.failAt = 2;
        f.control.reload(ControlFixture.config(hosts("198.18.5.0/24")));
        assertEquals(List.of("add " + NET5, "delete " + NET9), routes.calls);
        assertEquals(Set.of(NET5, NET9), routes.routes, "left behind, with a log line");
        assertNotNull(f.control.current().prefixes().get(NET5));
        assertNull(f.control.current().prefixes().get(NET9));
    }

    @Test
    void anOverrideThatCannotBeRoutedIsRefusedAndNotKept() {
        HostTable before = f.control.current();
        routes.failAt = 1;
        HostSettings down = HostSettings.builder().set(HostSetting.STATE, HostState.DOWN).build();
        assertThrows(ConfigException.class, () -> f.control.put(NET7, null, down, null));
        assertSame(before, f.control.current());
        assertTrue(f.control.overrides().isEmpty());
        assertEquals(Set.of(NET9), routes.routes);
    }
}
