package io.tunecho.app.config;

import io.tunecho.wire.Ipv4Cidr;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code --config FILE} first (over the built-in defaults), then every other option over it.
 * Both {@code --option value} and {@code --option=value} are accepted.
 */
public final class CommandLine {
    private final boolean help;
    private final boolean version;
    private final boolean check;
    private final TunechoConfig config;

    private CommandLine(boolean help, boolean version, boolean check, TunechoConfig config) {
        this.help = help;
        this.version = version;
        this.check = check;
        this.config = config;
    }

    /** Whether {@code --help} was given: print {@link #usage()} and exit 0. */
    public boolean helpRequested() {
        return help;
    }

    /** Whether {@code --version} was given. */
    public boolean versionRequested() {
        return version;
    }

    /** Whether {@code --check} was given: check the configuration and the answering pipeline, open no device. */
    public boolean checkRequested() {
        return check;
    }

    /** The configuration to run with (defaults, then the file, then the options). */
    public TunechoConfig config() {
        return config;
    }

    public static String usage() {
        return String.join("\n",
                "Usage: java -jar tunecho.jar [options]",
                "",
                "Creates a TUN interface (or attaches to an existing one) and answers ping for the addresses behind it.",
                "Needs CAP_NET_ADMIN (root) and /dev/net/tun. Stops cleanly on SIGTERM or Ctrl-C.",
                "",
                "Options (each overrides the same setting of the config file):",
                "  --config FILE            read settings from a YAML file (see config/tunecho.yaml); default: none",
                "  --interface NAME         interface to create or attach to; default: tun0",
                "  --address CIDR           the kernel's address and prefix on the interface; default: 198.18.0.1/24",
                "  --answer CIDR[,CIDR...]  addresses and CIDRs to answer (repeatable); default: the interface's",
                "                           subnet except its own address",
                "  --mtu N                  interface MTU, 68..65535; default: 1500",
                "  --queues N               queues of the TUN device, each on its own thread, 1..64; default: 1",
                "  --transport T            epoll or io_uring (falls back to epoll where io_uring is missing);",
                "                           default: epoll",
                "  --user NAME              once the interface is configured, switch to this user and its group",
                "                           (needs root at start); default: stay as started",
                "  --check                  check the configuration, the native libraries and the answering pipeline",
                "                           (one echo request through it), print one line and exit; opens no device",
                "  -h, --help               print this help",
                "  --version                print the version",
                "",
                "Example:",
                "  sudo java -jar target/tunecho.jar --interface tun1 --address 10.9.0.1/24 "
                        + "--answer 10.9.0.0/24,10.10.0.0/16",
                "");
    }

    public static CommandLine parse(String... args) throws ConfigException {
        List<String[]> options = new ArrayList<>();
        Path file = null;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new CommandLine(true, false, false, null);
            }
            if (arg.equals("--version")) {
                return new CommandLine(false, true, false, null);
            }
            if (arg.equals("--check")) {
                check = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "' (options start with --; try --help)");
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                if (!isKnown(name)) {
                    throw unknown(name);
                }
                if (i + 1 >= args.length) {
                    throw new ConfigException("option " + name + " needs a value (try --help)");
                }
                value = args[++i];
            }
            if (!isKnown(name)) {
                throw unknown(name);
            }
            if (name.equals("--config")) {
                file = Path.of(value);
            } else {
                options.add(new String[] {name, value});
            }
        }
        TunechoConfig config = TunechoConfig.defaults();
        if (file != null) {
            config = ConfigLoader.load(file, config);
        }
        List<Ipv4Cidr> answer = null;
        for (String[] o : options) {
            switch (o[0]) {
                case "--interface":
                    config = config.withInterfaceName(Values.interfaceName(o[1], "--interface"));
                    break;
                case "--address":
                    config = config.withInterfaceAddress(Values.interfaceAddress(o[1], "--address"));
                    break;
                case "--mtu":
                    config = config.withMtu(Values.mtu(o[1], "--mtu"));
                    break;
                case "--queues":
                    config = config.withQueues(Values.queues(o[1], "--queues"));
                    break;
                case "--transport":
                    config = config.withTransport(TunechoConfig.Transport.parse(o[1], "--transport"));
                    break;
                case "--user":
                    config = config.withUser(Values.userName(o[1], "--user"));
                    break;
                default: // --answer, repeatable; together they replace the file's list
                    if (answer == null) {
                        answer = new ArrayList<>();
                    }
                    for (String part : o[1].split(",")) {
                        if (!part.isBlank()) {
                            answer.add(Values.cidr(part, "--answer"));
                        }
                    }
                    if (answer.isEmpty()) {
                        throw new ConfigException("--answer needs at least one address or CIDR");
                    }
                    break;
            }
        }
        if (answer != null) {
            config = config.withAnswer(answer);
        }
        config.validate("");
        return new CommandLine(false, false, check, config);
    }

    private static boolean isKnown(String name) {
        switch (name) {
            case "--config":
            case "--interface":
            case "--address":
            case "--answer":
            case "--mtu":
            case "--queues":
            case "--transport":
            case "--user":
                return true;
            default:
                return false;
        }
    }

    private static ConfigException unknown(String name) {
        return new ConfigException("unknown option '" + name + "' (try --help)");
    }
}
