package io.tunecho.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code --config FILE} first (over the built-in defaults), then every setting's option over it,
 * in order. Both {@code --option value} and {@code --option=value} are accepted; a repeated {@code --answer}
 * adds to the list. The options and the help text come from {@link Settings}.
 */
public final class CommandLine {
    /** What the command line asks for. */
    public enum Action {
        /** Run the server. */
        SERVE,
        /** Check the configuration and exit. */
        CHECK,
        HELP,
        VERSION
    }

    private static final String CONFIG = "--config";
    private static final String CHECK = "--check";

    private final Action action;
    private final TunechoConfig config;
    private final Path configFile;

    private CommandLine(Action action, TunechoConfig config, Path configFile) {
        this.action = action;
        this.config = config;
        this.configFile = configFile;
    }

    public Action action() {
        return action;
    }

    /** The configuration to run with (defaults, then the file, then the options); {@code null} for help and version. */
    public TunechoConfig config() {
        return config;
    }

    /** The file given with {@code --config}, or {@code null}. */
    public Path configFile() {
        return configFile;
    }

    public static String usage() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {CONFIG + " FILE", "read settings from a YAML file (see config/tunecho.yaml); default: none"});
        for (Setting<?> s : Settings.options()) {
            rows.add(new String[] {s.option() + " " + s.metavar(),
                    s.help() + "; " + s.type().describe() + "; default: " + s.defaultText()});
        }
        rows.add(new String[] {Settings.HTTP_OPTION + " ADDR:PORT", "serve the admin API, metrics and lab page there "
                + "(http.address and http.port), e.g. 127.0.0.1:9464; default: none"});
        rows.add(new String[] {Settings.SCENARIO_OPTION + " FILE", "run the scenario in FILE (the keys of the config "
                + "file's scenario: section, at its top level or under scenario:) instead of the config file's; "
                + "default: the config file's, if any"});
        rows.add(new String[] {CHECK, "check the configuration (and that the transport loads), print it, exit"});
        rows.add(new String[] {"-h, --help", "print this help"});
        rows.add(new String[] {"--version", "print the version"});
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: java -jar tunecho.jar [options]\n\n")
                .append("Creates a TUN interface (or attaches to an existing one) and answers ping for the addresses ")
                .append("behind it.\nNeeds CAP_NET_ADMIN (root) and /dev/net/tun. Stops cleanly on SIGTERM or Ctrl-C.\n\n")
                .append("Options (each overrides the same setting of the config file):\n");
        for (String[] row : rows) {
            sb.append("  ").append(row[0]);
            int pad = Math.max(1, 26 - row[0].length());
            if (row[0].length() > 24) {
                sb.append('\n').append(" ".repeat(28));
            } else {
                sb.append(" ".repeat(pad));
            }
            sb.append(wrap(row[1], 28, 116)).append('\n');
        }
        sb.append("\nExample:\n  sudo java -jar target/tunecho.jar --interface tun1 --address 10.9.0.1/24 ")
                .append("--answer 10.9.0.0/24,10.10.0.0/16\n")
                .append("\nExit codes: 0 stopped cleanly (or a scenario with exit: true passed), 1 failed at run time, ")
                .append("2 usage or\nconfiguration error, 3 a scenario with exit: true ended with a failed expectation.\n");
        return sb.toString();
    }

    private static String wrap(String text, int indent, int width) {
        StringBuilder sb = new StringBuilder();
        int col = indent;
        for (String word : text.split(" ")) {
            if (col + word.length() + 1 > width && col > indent) {
                sb.append('\n').append(" ".repeat(indent));
                col = indent;
            } else if (col > indent) {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
        }
        return sb.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static CommandLine parse(String... args) throws ConfigException {
        List<String[]> options = new ArrayList<>();
        Path file = null;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new CommandLine(Action.HELP, null, null);
            }
            if (arg.equals("--version")) {
                return new CommandLine(Action.VERSION, null, null);
            }
            if (arg.equals(CHECK)) {
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
                checkKnown(name);
            } else {
                checkKnown(name);
                if (i + 1 >= args.length) {
                    throw new ConfigException("option " + name + " needs a value (try --help)");
                }
                value = args[++i];
            }
            if (name.equals(CONFIG)) {
                try {
                    file = Path.of(value);
                } catch (InvalidPathException e) {
                    throw new ConfigException(CONFIG + " '" + value + "' is not a file name: " + e.getReason(),
                            CONFIG);
                }
            } else {
                options.add(new String[] {name, value});
            }
        }
        TunechoConfig config = TunechoConfig.defaults();
        if (file != null) {
            config = ConfigLoader.load(file, config);
        }
        List<Object> answer = null;
        for (String[] o : options) {
            if (o[0].equals(Settings.HTTP_OPTION)) {
                config = http(config, o[1]);
                continue;
            }
            if (o[0].equals(Settings.SCENARIO_OPTION)) {
                config = config.with(Settings.SCENARIO, ScenarioKeys.load(path(o[1])), Settings.SCENARIO_OPTION);
                continue;
            }
            Setting s = Settings.byOption(o[0]);
            Object value;
            try {
                value = s.type().parse(o[1]);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(s.option() + " " + e.getMessage());
            }
            if (s == Settings.ANSWER) { // repeatable: together they replace the file's list
                if (answer == null) {
                    answer = new ArrayList<>();
                }
                answer.addAll((List<?>) value);
                value = List.copyOf(answer);
            }
            config = config.with(s, value, s.option());
        }
        config.validate();
        return new CommandLine(check ? Action.CHECK : Action.SERVE, config, file);
    }

    /** {@code --http ADDR:PORT} ({@code [::1]:9464} for IPv6). */
    private static TunechoConfig http(TunechoConfig config, String value) throws ConfigException {
        String v = value.trim();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new ConfigException(Settings.HTTP_OPTION + " '" + v + "' needs ADDR:PORT, e.g. 127.0.0.1:9464");
        }
        String address;
        int port;
        try {
            address = Settings.HTTP_ADDRESS.type().parse(v.substring(0, colon));
            port = Settings.HTTP_PORT.type().parse(v.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Settings.HTTP_OPTION + " " + e.getMessage());
        }
        return config.with(Settings.HTTP_ADDRESS, address, Settings.HTTP_OPTION)
                .with(Settings.HTTP_PORT, port, Settings.HTTP_OPTION);
    }

    private static Path path(String value) throws ConfigException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException(Settings.SCENARIO_OPTION + " '" + value + "' is not a file name: "
                    + e.getReason(), Settings.SCENARIO_OPTION);
        }
    }

    private static void checkKnown(String name) throws ConfigException {
        if (!name.equals(CONFIG) && !name.equals(Settings.HTTP_OPTION) && !name.equals(Settings.SCENARIO_OPTION)
                && Settings.byOption(name) == null) {
            throw new ConfigException("unknown option '" + name + "' (try --help)");
        }
    }
}
