package io.tunecho.app;

import io.netty.util.ResourceLeakDetector;
import io.tunecho.app.config.CommandLine;
import io.tunecho.app.config.ConfigException;
import io.tunecho.app.config.TunechoConfig;
import io.tunecho.device.DeviceException;
import io.tunecho.device.Privileges;
import io.tunecho.transport.AbstractTunChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar tunecho.jar [options]}: answers ping for the addresses behind a TUN interface until SIGTERM or
 * SIGINT. Exit codes: 0 after a clean stop, 2 for a usage or configuration error, 1 for a failure at run time
 * (no permission, no TUN device, interface busy, ...). Errors are one line on stderr that names the fix.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_RUNTIME = 1;
    static final int EXIT_USAGE = 2;

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
        if (cli.helpRequested()) {
            out.print(CommandLine.usage());
            return EXIT_OK;
        }
        if (cli.versionRequested()) {
            out.println("tunecho " + version());
            return EXIT_OK;
        }
        if (cli.checkRequested()) {
            return ConfigCheck.run(cli.config(), out, err);
        }
        return serve(cli.config(), err);
    }

    private static int serve(TunechoConfig config, PrintStream err) {
        Privileges.User user = null;
        TunechoServer server;
        try {
            if (config.user() != null) {
                user = Privileges.lookup(config.user()); // before anything is opened: a typo changes nothing
            }
        } catch (DeviceException e) {
            err.println("tunecho: " + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            server = TunechoServer.start(config);
        } catch (Throwable t) {
            err.println("tunecho: " + describe(t));
            if (Boolean.getBoolean("tunecho.debug")) {
                t.printStackTrace(err);
            }
            return EXIT_RUNTIME;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        if (user != null) {
            try {
                Privileges.drop(user);
            } catch (DeviceException e) {
                server.close();
                err.println("tunecho: " + e.getMessage());
                return EXIT_RUNTIME;
            }
            log.info("running as user {}, without capabilities: interface settings can no longer change", user);
        }
        log.info("answering on {} ({}, mtu {}, {}{}, {}): {}", server.channel().localAddress().name(),
                config.interfaceAddress(), config.mtu(),
                server.channel().createdInterface() ? "created" : "attached",
                config.queues() > 1 ? ", " + config.queues() + " queues" : "", server.transport(),
                server.answers());
        AtomicBoolean stopRequested = new AtomicBoolean();
        SignalHandler stop = s -> {
            stopRequested.set(true);
            server.channels().forEach(AbstractTunChannel::close);
        };
        Signal.handle(new Signal("TERM"), stop);
        Signal.handle(new Signal("INT"), stop);
        server.closeFuture().awaitUninterruptibly();
        server.close();
        log.info("stopped; {}", server.counters());
        if (!stopRequested.get()) {
            err.println("tunecho: the interface " + config.interfaceName() + " went away (deleted?); stopped");
            return EXIT_RUNTIME;
        }
        return EXIT_OK;
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
