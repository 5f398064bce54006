package io.tunecho.drill;

import io.tunecho.config.ConfigException;
import io.tunecho.config.ConfigLoader;
import io.tunecho.config.TunechoConfig;
import io.tunecho.control.EventLog;
import io.tunecho.control.HostControl;
import io.tunecho.control.KernelRoutes;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostState;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.wire.IpCidr;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A scenario runner over a real {@link HostControl}, on a {@link ManualClock} that only the test moves. The test
 * drives it as the control thread would: {@link #tick()} after moving the clock, {@link #alert} for an alert
 * received now, and says when each address was last probed ({@link #probe}).
 */
final class ScenarioFixture implements AutoCloseable {
    final ManualClock clock = new ManualClock();
    final HostControl control;
    final ScenarioRunner runner;
    final EventLog events;
    /** The last probe of each address; absent: never probed. */
    final Map<IpCidr, Long> probes = new HashMap<>();
    final long start;

    /** {@code yaml}: a configuration of interface 198.18.0.1/24 with a scenario. */
    ScenarioFixture(String yaml) throws ConfigException, IOException {
        TunechoConfig config = config(yaml);
        events = new EventLog(100, null);
        control = new HostControl(config, HostTable.build(config.hostConfig(), null, clock), KernelRoutes.NONE,
                events, clock);
        runner = new ScenarioRunner(config.scenario(), control, clock, a -> probes.getOrDefault(a, -1L));
        start = clock.currentTimeMillis();
        runner.begin(start);
    }

    static TunechoConfig config(String yaml) throws ConfigException {
        TunechoConfig c = ConfigLoader.load("interface: { address: 198.18.0.1/24 }\n" + yaml, "test.yaml",
                TunechoConfig.defaults());
        c.validate();
        return c;
    }

    /** Moves the clock to {@code millis} after the scenario's start and ticks there. */
    void at(long millis) {
        long now = clock.currentTimeMillis();
        clock.advance(start + millis - now, TimeUnit.MILLISECONDS);
        runner.tick();
    }

    /** Ticks every 100 ms up to {@code millis} after the start, as the control thread does. */
    void runTo(long millis) {
        while (clock.currentTimeMillis() - start + ScenarioRunner.TICK_MILLIS <= millis) {
            at(clock.currentTimeMillis() - start + ScenarioRunner.TICK_MILLIS);
        }
        at(millis);
    }

    void tick() {
        runner.tick();
    }

    /** An alert about {@code address} received now. */
    void alert(AlertNotice.Status status, String name, String address) {
        runner.onAlert(new AlertNotice(status, name, List.of(IpCidr.parse(address)), Map.of("instance", address),
                clock.currentTimeMillis(), "json"));
    }

    /** {@code address} is probed now. */
    void probe(String address) {
        probes.put(IpCidr.parse(address), clock.currentTimeMillis());
    }

    HostState state(String address) {
        HostEntry e = control.current().lookupIpv4(IpCidr.parse(address).ipv4Address());
        return e.baseBehaviour().state();
    }

    List<String> events() {
        return events.recent(100).stream().map(e -> e.cause() + " " + e.entry() + ": " + e.change()).toList();
    }

    @Override
    public void close() {
        control.close();
    }
}
