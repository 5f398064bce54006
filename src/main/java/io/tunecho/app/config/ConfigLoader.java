package io.tunecho.app.config;

import io.tunecho.wire.Ipv4Cidr;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code tunecho.yaml} over the built-in defaults. Strict: unknown keys, duplicate keys, values of the wrong
 * kind and invalid values are errors that name the file, the line and the fix. Only YAML's node tree is used
 * (snakeyaml's composer): no objects are constructed from the document.
 */
public final class ConfigLoader {
    private static final List<String> TOP_KEYS = List.of("interface", "answer", "transport", "user");
    private static final List<String> INTERFACE_KEYS = List.of("name", "address", "mtu", "queues");

    private final String source;

    private ConfigLoader(String source) {
        this.source = source;
    }

    /** Loads a file over {@code base}. */
    public static TunechoConfig load(Path file, TunechoConfig base) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("cannot read config " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException("cannot read config " + file + ": " + e.getMessage());
        }
        return new ConfigLoader(file.toString()).parse(new StringReader(text), base);
    }

    /** Loads YAML text over {@code base}; {@code source} names it in messages. */
    public static TunechoConfig load(String yaml, String source, TunechoConfig base) throws ConfigException {
        return new ConfigLoader(source).parse(new StringReader(yaml), base);
    }

    private TunechoConfig parse(Reader reader, TunechoConfig base) throws ConfigException {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowRecursiveKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? -1 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(source + (line > 0 ? ":" + line : "") + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null || isNull(root)) {
            base.validate(source + ": ");
            return base; // an empty file: the defaults
        }
        TunechoConfig config = base;
        for (NodeTuple entry : mapping(root, "the top level", TOP_KEYS)) {
            String key = ((ScalarNode) entry.getKeyNode()).getValue();
            Node value = entry.getValueNode();
            if (key.equals("interface")) {
                config = readInterface(value, config);
            } else if (key.equals("user")) {
                config = config.withUser(Values.userName(scalar(value, "user"), at(value) + "user"));
            } else if (key.equals("transport")) {
                config = config.withTransport(TunechoConfig.Transport.parse(scalar(value, "transport"),
                        at(value) + "transport"));
            } else {
                config = config.withAnswer(readAnswer(value));
            }
        }
        config.validate(source + ": ");
        return config;
    }

    private TunechoConfig readInterface(Node node, TunechoConfig config) throws ConfigException {
        if (isNull(node)) {
            return config;
        }
        for (NodeTuple entry : mapping(node, "interface", INTERFACE_KEYS)) {
            String key = ((ScalarNode) entry.getKeyNode()).getValue();
            Node value = entry.getValueNode();
            String what = at(value) + "interface." + key;
            String text = scalar(value, "interface." + key);
            switch (key) {
                case "name":
                    config = config.withInterfaceName(Values.interfaceName(text, what));
                    break;
                case "address":
                    config = config.withInterfaceAddress(Values.interfaceAddress(text, what));
                    break;
                case "mtu":
                    config = config.withMtu(Values.mtu(text, what));
                    break;
                default:
                    config = config.withQueues(Values.queues(text, what));
                    break;
            }
        }
        return config;
    }

    private List<Ipv4Cidr> readAnswer(Node node) throws ConfigException {
        List<Ipv4Cidr> answer = new ArrayList<>();
        if (isNull(node)) {
            return answer;
        }
        if (node instanceof ScalarNode) {
            answer.add(Values.cidr(((ScalarNode) node).getValue(), at(node) + "answer"));
            return answer;
        }
        if (!(node instanceof SequenceNode)) {
            throw new ConfigException(at(node) + "answer must be a list of addresses and CIDRs, e.g. "
                    + "'answer: [198.18.0.0/24]'");
        }
        for (Node item : ((SequenceNode) node).getValue()) {
            answer.add(Values.cidr(scalar(item, "an answer entry"), at(item) + "answer"));
        }
        return answer;
    }

    /** The entries of a mapping whose keys must all be known and distinct. */
    private List<NodeTuple> mapping(Node node, String what, List<String> known) throws ConfigException {
        if (!(node instanceof MappingNode)) {
            throw new ConfigException(at(node) + what + " must be a mapping of " + String.join(", ", known));
        }
        List<NodeTuple> entries = ((MappingNode) node).getValue();
        Set<String> seen = new HashSet<>();
        for (NodeTuple entry : entries) {
            Node keyNode = entry.getKeyNode();
            if (!(keyNode instanceof ScalarNode)) {
                throw new ConfigException(at(keyNode) + "a key in " + what + " is not a plain name");
            }
            String key = ((ScalarNode) keyNode).getValue();
            if (!known.contains(key)) {
                throw new ConfigException(at(keyNode) + "unknown key '" + key + "' in " + what + " (known keys: "
                        + String.join(", ", known) + ")");
            }
            if (!seen.add(key)) {
                throw new ConfigException(at(keyNode) + "duplicate key '" + key + "' in " + what);
            }
        }
        return entries;
    }

    private String scalar(Node node, String what) throws ConfigException {
        if (!(node instanceof ScalarNode)) {
            throw new ConfigException(at(node) + what + " must be a single value, not a "
                    + (node instanceof SequenceNode ? "list" : "mapping"));
        }
        if (isNull(node)) {
            throw new ConfigException(at(node) + what + " has no value");
        }
        return ((ScalarNode) node).getValue();
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && (Tag.NULL.equals(node.getTag())
                || ((ScalarNode) node).getValue().isEmpty() && ((ScalarNode) node).isPlain());
    }

    /** {@code file:line: } for a node. */
    private String at(Node node) {
        return source + ":" + (node.getStartMark().getLine() + 1) + ": ";
    }
}
