package io.tunecho.http;

import io.tunecho.capture.PcapCapture;
import io.tunecho.config.ConfigException;
import io.tunecho.config.ConfigLoader;
import io.tunecho.config.TunechoConfig;
import io.tunecho.control.EventLog;
import io.tunecho.control.HostControl;
import io.tunecho.control.KernelRoutes;
import io.tunecho.drill.Alerts;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.packet.PacketCounters;
import io.tunecho.transport.AbstractTunChannel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A real {@link AdminContext} as tunecho builds it (a {@link HostControl} over the host table of a YAML
 * configuration, packet counters, a capture), without channels: a TUN channel needs a device. The reloader reads
 * {@link #file} again, as {@code POST /api/reload} reads the config file.
 */
final class AdminFixture implements AutoCloseable {
    static final String TOKEN = "t0ken-for-tests";
    static final String YAML = String.join("\n",
            "interface: { address: 198.18.0.1/24 }",
            "profiles:",
            "  far-away: { delay: 120ms }",
            "hosts:",
            "  - { match: 198.18.0.10, profile: far-away }",
            "  - { match: 198.18.0.64/27, ttl: 128 }",
            "  - { match: 198.18.0.99, state: down }",
            "");

    final TunechoConfig config;
    final HostControl control;
    final PacketCounters counters = new PacketCounters();
    final PcapCapture capture = new PcapCapture();
    /** The probe table's clock: the coverage metric reads it. */
    final ManualClock probeClock = new ManualClock();
    final ProbeTable probes = new ProbeTable(1000, probeClock);
    final Alerts alerts;
    final AdminContext context;
    /** The connection limit of the fixture's server: its clients are its connections. */
    final ConnectionLimit connections = new ConnectionLimit(AdminServer.MAX_CONNECTIONS, Clock.SYSTEM);
    /** What the config file holds now: {@code POST /api/reload} reads it. */
    volatile String file;

    AdminFixture() {
        this(YAML);
    }

    AdminFixture(String yaml) {
        try {
            config = load(yaml);
            control = new HostControl(config, HostTable.build(config.hostConfig(), null, Clock.SYSTEM),
                    KernelRoutes.NONE, new EventLog(1000, null), Clock.SYSTEM);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        file = yaml;
        alerts = new Alerts(control.table(), control.events(), Clock.SYSTEM);
        context = new AdminContext(control, counters, List::<AbstractTunChannel>of, "epoll", capture,
                () -> control.reload(load(file)), config, probes, alerts, null);
    }

    static TunechoConfig load(String yaml) throws ConfigException {
        TunechoConfig c = ConfigLoader.load(yaml, "tunecho.yaml", TunechoConfig.defaults());
        c.validate();
        return c;
    }

    /** The routes as AdminServer makes them. */
    ApiRoutes routes(String token, boolean protectMetrics) {
        return new ApiRoutes(context, token, protectMetrics, connections);
    }

    /** A client on a connection to routes without a token. */
    AdminClient open() {
        return open(routes(null, false));
    }

    /** A client on a connection to these routes. */
    AdminClient open(ApiRoutes routes) {
        return new AdminClient(routes, connections, control);
    }

    @Override
    public void close() {
        capture.close();
        control.close();
    }
}
