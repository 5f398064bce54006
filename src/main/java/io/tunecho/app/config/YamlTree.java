package io.tunecho.app.config;

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

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into a {@link ConfigNode} tree, each node marked with its file and line. Only YAML's node tree is
 * used (snakeyaml's composer): no Java objects are constructed from the document. Keys must be plain and unique.
 */
final class YamlTree {
    private final String source;

    private YamlTree(String source) {
        this.source = source;
    }

    /**
     * @param source names the text in messages (a file name)
     * @return the root node, or {@code null} for an empty document
     */
    static ConfigNode parse(String yaml, String source) throws ConfigException {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowRecursiveKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setAllowDuplicateKeys(true); // reported below with file and line
            options.setCodePointLimit(64 * 1024 * 1024);
            root = new Yaml(options).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? -1 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(source + (line > 0 ? ":" + line : "") + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            return null;
        }
        return new YamlTree(source).convert(root);
    }

    private ConfigNode convert(Node node) throws ConfigException {
        String where = source + ":" + (node.getStartMark().getLine() + 1) + ": ";
        if (node instanceof ScalarNode) {
            ScalarNode s = (ScalarNode) node;
            boolean isNull = Tag.NULL.equals(s.getTag()) || s.getValue().isEmpty() && s.isPlain();
            return new ConfigNode.Scalar(isNull ? null : s.getValue(), where);
        }
        if (node instanceof SequenceNode) {
            List<ConfigNode> items = new ArrayList<>();
            for (Node item : ((SequenceNode) node).getValue()) {
                items.add(convert(item));
            }
            return new ConfigNode.Sequence(items, where);
        }
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        Map<String, String> keyWhere = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            Node k = t.getKeyNode();
            String kWhere = source + ":" + (k.getStartMark().getLine() + 1) + ": ";
            if (!(k instanceof ScalarNode)) {
                throw new ConfigException(kWhere + "a key is not a plain name");
            }
            String key = ((ScalarNode) k).getValue();
            if (entries.containsKey(key)) {
                throw new ConfigException(kWhere + "duplicate key '" + key + "'");
            }
            entries.put(key, convert(t.getValueNode()));
            keyWhere.put(key, kWhere);
        }
        return new ConfigNode.Mapping(entries, keyWhere, where);
    }
}
