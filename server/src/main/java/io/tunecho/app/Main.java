package io.tunecho.app;

import io.netty.util.ResourceLeakDetector;
import io.tunecho.config.CommandLine;
import io.tunecho.config.ConfigException;
import io.tunecho.config.LogFormat;
import io.tunecho.config.TunechoConfig;
import io.tunecho.device.DeviceException;
import io.tunecho.device.Privileges;
import io.tunecho.drill.ScenarioRunner;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.ProbeRecord;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.http.AdminContext;
import io.tunecho.http.AdminServer;
import io.tunecho.transport.AbstractTunChannel;
import io.tunecho.wire.IpCidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code java -jar tunecho.jar [options]}: answers ping for the addresses behind a TUN interface until SIGTERM or
 * SIGINT. Exit codes: 0 after a clean stop, 2 for a usage or configuration error, 1 for a failure at run time
 * (no permission, no TUN device, interface busy, ...), 3 when a scenario with {@code exit: true} ended with a failed
 * expectation (0 when all passed). Errors are one line on stderr that names the fix.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_RUNTIME = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_SCENARIO_FAILED = 3;

    private Main() {
    }

    public static void main(String[] args) {
        // Netty emits JFR events for its buffers unless told otherwise; loading JFR's machinery costs ~40 ms of
        // start-up, for events nobody records by default. -Dio.netty.jfr.enabled=true brings them back.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        // Netty samples buffers for leak tracking unless told otherwise, which allocates stack traces on the hot
        // path. tunecho's tests run it at paranoid; in service it runs without, unless the user asks for it.
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        // Netty's recyclers (read buffers, the outbound buffer's entries) keep what a thread gives back in a batch
        // of 32 and pass the rest through a queue that allocates as it goes; a TUN channel gives back a whole burst
        // at once (AbstractTunChannel.RECYCLER_BATCH says how many at most).
        if (System.getProperty("io.netty.recycler.chunkSize") == null) {
            System.setProperty("io.netty.recycler.chunkSize", Integer.toString(AbstractTunChannel.RECYCLER_BATCH));
        }
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli;
        try {
            cli = CommandLine.parse(args);
        } catch (ConfigException e) {
            err.println("tunecho: " + e.getMessage());
            return EXIT_USAGE;
        }
        switch (cli.action()) {
            case HELP:
                out.print(CommandLine.usage());
                return EXIT_OK;
            case VERSION:
                out.println("tunecho " + version());
                return EXIT_OK;
            case CHECK:
                return ConfigCheck.run(cli.config(), out, err);
            default:
                return serve(cli, args, err);
        }
    }

    private static int serve(CommandLine cli, String[] args, PrintStream err) {
        TunechoConfig config = cli.config();
        if (config.logFormat() == LogFormat.JSON) {
            LogConfigurator.useJson();
        }
        Privileges.User user = null;
        try {
            if (config.user() != null) {
                user = Privileges.lookup(config.user()); // before anything is opened: a typo changes nothing
            }
        } catch (DeviceException e) {
            err.println("tunecho: " + e.getMessage());
            return EXIT_USAGE;
        }
        TunechoServer server;
        try {
            server = TunechoServer.start(config);
        } catch (ConfigException e) {
            err.println("tunecho: " + e.getMessage());
            return EXIT_USAGE;
        } catch (Throwable t) {
            err.println("tunecho: " + describe(t));
            if (Boolean.getBoolean("tunecho.debug")) {
                t.printStackTrace(err);
            }
            return EXIT_RUNTIME;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        ScenarioRunner scenario = config.scenario() == null ? null : new ScenarioRunner(config.scenario(),
                server.control(), Clock.SYSTEM, a -> lastProbe(server.probes(), a));
        if (scenario != null && server.alerts() != null) {
            server.alerts().addListener(scenario::alert);
        }
        AdminServer http = null;
        if (config.httpPort() != null) {
            AdminContext context = new AdminContext(server.control(), server.counters(), server::channels,
                    server.transport(), server.capture(), () -> reloadFile(server, cli, args), config,
                    server.probes(), server.alerts(), scenario);
            try {
                http = AdminServer.start(config.httpAddress(), config.httpPort(), config.httpToken(),
                        config.httpProtectMetrics(), context);
            } catch (IOException e) {
                server.close();
                err.println("tunecho: " + e.getMessage());
                return EXIT_RUNTIME;
            }
        }
        if (user != null) {
            try {
                Privileges.drop(user);
            } catch (DeviceException e) {
                if (http != null) {
                    http.close();
                }
                server.close();
                err.println("tunecho: " + e.getMessage());
                return EXIT_RUNTIME;
            }
            log.info("running as user {}, without capabilities: interface settings and routes can no longer change",
                    user);
        }
        // before the line that says it answers: a signal sent as soon as that line appears must find the handlers
        SignalHandler stop = s -> server.stop();
        Signal.handle(new Signal("TERM"), stop);
        Signal.handle(new Signal("INT"), stop);
        Signal.handle(new Signal("HUP"), s -> reload(server, cli, args));
        server.control().recordStart();
        log.info("answering on {} ({}, mtu {}, {}{}, {}): {}", server.channel().localAddress().name(),
                config.interfaceAddress(), config.mtu(),
                server.channel().createdInterface() ? "created" : "attached",
                config.queues() > 1 ? ", " + config.queues() + " queues" : "", server.transportChoice(),
                server.hosts());
        if (http != null) {
            log.info("HTTP on {}: /metrics, /health, /api{}", http.address(),
                    config.httpToken() == null ? "" : " (token required)");
        }
        AtomicInteger scenarioExit = new AtomicInteger(EXIT_OK);
        if (scenario != null) {
            if (config.scenario().exit()) {
                scenario.finished().thenAccept(passed -> {
                    scenarioExit.set(passed ? EXIT_OK : EXIT_SCENARIO_FAILED);
                    server.stop();
                });
            }
            scenario.start();
        }
        if (config.logSummaryInterval() != null) {
            long every = config.logSummaryInterval();
            server.control().executor().scheduleAtFixedRate(() -> log.info("summary: {}", server.counters()),
                    every, every, TimeUnit.NANOSECONDS);
        }
        server.closeFuture().awaitUninterruptibly();
        if (http != null) {
            http.close();
        }
        server.close();
        log.info("stopped; {}", server.counters());
        if (!server.stopRequested()) {
            err.println("tunecho: the interface " + config.interfaceName() + " went away (deleted?); stopped");
            return EXIT_RUNTIME;
        }
        return scenarioExit.get();
    }

    /**
     * The last probe of an address, as the scenario reads it: the last request to its host entry when the entry is
     * that single address (-1 otherwise, or when never probed). Per-address probe tracking replaces this.
     */
    /** When {@code address} was last probed (the hosts' clock, ms), or -1 when never (or forgotten). */
    private static long lastProbe(ProbeTable probes, IpCidr address) {
        ProbeRecord r = probes.get(address);
        return r == null ? -1 : r.lastMillis();
    }

    /**
     * SIGHUP: reads the config file again (with the command line's options over it, as at start) and applies it, or
     * logs in one line why not; the running configuration stays in that case.
     */
    static void reload(TunechoServer server, CommandLine cli, String[] args) {
        try {
            reloadFile(server, cli, args);
        } catch (ConfigException e) {
            // reloadFile logged it
        }
    }

    /** Reads the config file again and applies it; logs the result in one line either way. */
    static String reloadFile(TunechoServer server, CommandLine cli, String[] args) throws ConfigException {
        Logger log = LoggerFactory.getLogger(Main.class);
        if (cli.configFile() == null) {
            log.warn("reload: there is no --config file to read again; nothing changed");
            throw new ConfigException("there is no --config file to read again; nothing changed");
        }
        try {
            String result = server.reload(CommandLine.parse(args).config());
            log.info("reloaded {}: {}", cli.configFile(), result);
            return result;
        } catch (ConfigException e) {
            log.warn("reload of {} refused: {}; the running configuration stays", cli.configFile(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            log.warn("reload of {} failed: {}; the running configuration stays", cli.configFile(), e.toString());
            throw new ConfigException("the reload failed: " + e);
        }
    }

    /** One line for a failure a user can act on: the device layer's messages already name the fix. */
    static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DeviceException) {
                return c.getMessage();
            }
            if (c instanceof UnsatisfiedLinkError) {
                return "Netty's native epoll library could not be loaded (" + c.getMessage()
                        + "); tunecho needs Linux on x86-64";
            }
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}
