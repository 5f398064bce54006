package io.tunecho.control;

import io.tunecho.config.ConfigException;
import io.tunecho.config.ConfigLoader;
import io.tunecho.config.TunechoConfig;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A {@link HostControl} on a {@link ManualClock}, with a wall clock that moves with it, an in-memory event log and
 * the given kernel routes: time passes only when a test advances it.
 */
final class ControlFixture implements AutoCloseable {
    /** The wall time at the manual clock's start. */
    static final Instant START = Instant.parse("2024-05-01T12:00:00Z");

    final ManualClock clock = new ManualClock();
    final java.time.Clock wall = new WallClock(clock.nanoTime());
    final EventLog events;
    final HostControl control;

    ControlFixture(String yaml, KernelRoutes routes) throws ConfigException, IOException {
        TunechoConfig config = config(yaml);
        events = new EventLog(100, null);
        control = new HostControl(config, HostTable.build(config.hostConfig(), null, clock), routes, events, clock,
                wall);
    }

    /** A configuration of interface tunctl0 (198.18.0.1/24) with {@code yaml} after it. */
    static TunechoConfig config(String yaml) throws ConfigException {
        return config("", yaml);
    }

    /** The same with more settings of the interface: {@code ", mtu: 1400"}. */
    static TunechoConfig config(String moreInterface, String yaml) throws ConfigException {
        return ConfigLoader.load("interface: { name: tunctl0, address: 198.18.0.1/24" + moreInterface + " }\n" + yaml,
                "test.yaml", TunechoConfig.defaults());
    }

    /** The events recorded, each as {@code cause entry: change}. */
    List<String> events() {
        return events.recent(100).stream().map(e -> e.cause() + " " + e.entry() + ": " + e.change()).toList();
    }

    @Override
    public void close() {
        control.close();
    }

    /** The wall time that goes with the manual clock: {@link #START} plus the nanoseconds it advanced. */
    private final class WallClock extends java.time.Clock {
        private final long origin;

        WallClock(long origin) {
            this.origin = origin;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return START.plusNanos(clock.nanoTime() - origin);
        }
    }
}
