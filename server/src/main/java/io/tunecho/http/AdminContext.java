package io.tunecho.http;

import io.tunecho.capture.PcapCapture;
import io.tunecho.config.ConfigException;
import io.tunecho.config.TunechoConfig;
import io.tunecho.control.HostControl;
import io.tunecho.drill.Alerts;
import io.tunecho.drill.ScenarioRunner;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.ip.Reassembler;
import io.tunecho.packet.PacketCounters;
import io.tunecho.policy.ReplyShaper;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.transport.AbstractTunChannel;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the HTTP server shows and controls of a running tunecho.
 *
 * @param control   the host table, overrides and events
 * @param counters  the packet counters of every channel
 * @param channels  one channel per queue, as they are now (an interface may be re-created)
 * @param transport {@code epoll} or {@code io_uring}
 * @param capture   the packet capture
 * @param reloader  reads the config file again, as SIGHUP does
 * @param config    the configuration tunecho started with
 * @param probes    the probes every answered address received
 * @param alerts    the alerts received (POST /api/alerts)
 * @param scenario  the scenario that runs, or {@code null}
 */
public record AdminContext(HostControl control, PacketCounters counters,
                           Supplier<List<AbstractTunChannel>> channels,
                           String transport, PcapCapture capture, Reloader reloader, TunechoConfig config,
                           ProbeTable probes, Alerts alerts, ScenarioRunner scenario) {

    /** Reads the config file again and applies it. */
    @FunctionalInterface
    public interface Reloader {
        /** @return what is in force now; @throws ConfigException why the file was refused */
        String reload() throws ConfigException;
    }

    /** The reply shaper of a channel (it holds the delayed replies), or {@code null}. */
    static ReplyShaper shaper(AbstractTunChannel ch) {
        return ResponderPipeline.replyShaper(ch.pipeline());
    }

    /** The reassembly stage of a channel (it holds fragments), or {@code null}. */
    static Reassembler reassembler(AbstractTunChannel ch) {
        return ResponderPipeline.reassembler(ch.pipeline());
    }
}
