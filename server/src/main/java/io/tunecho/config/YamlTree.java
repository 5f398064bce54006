package io.tunecho.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into a {@link ConfigNode} tree, each node marked with its file and line, straight from
 * snakeyaml's parser events: no Java objects are constructed from the document, and there is no intermediate node
 * tree (composing one costs a cold start about as much as parsing; a 10,000-entry hosts list is half a megabyte).
 * Keys must be plain scalars and unique; anchors and aliases work for values, at most {@value #MAX_ALIASES} of them.
 */
final class YamlTree {
    static final int MAX_ALIASES = 50;

    private final String source;
    private final Parser events;
    private final Map<String, ConfigNode> anchors = new HashMap<>();
    private int aliases;

    private YamlTree(String source, Parser events) {
        this.source = source;
        this.events = events;
    }

    /**
     * @param source names the text in messages (a file name)
     * @return the root node, or {@code null} for an empty document
     */
    static ConfigNode parse(String yaml, String source) throws ConfigException {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(64 * 1024 * 1024);
            // the parser alone: Yaml's constructors and representers would only add class loading to a cold start
            Parser parser = new ParserImpl(new StreamReader(new StringReader(yaml)), options);
            return new YamlTree(source, parser).document();
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? -1 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(source + (line > 0 ? ":" + line : "") + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage());
        }
    }

    /** Stream start, one document (or none), stream end. */
    private ConfigNode document() throws ConfigException {
        ConfigNode root = null;
        while (!events.checkEvent(Event.ID.StreamEnd)) {
            Event e = events.getEvent();
            if (e.is(Event.ID.DocumentStart)) {
                if (root != null) {
                    throw new ConfigException(where(e.getStartMark()) + "a config file holds one YAML document");
                }
                root = node(events.getEvent());
            }
        }
        return root;
    }

    private ConfigNode node(Event e) throws ConfigException {
        String where = where(e.getStartMark());
        if (e instanceof AliasEvent) {
            String anchor = ((AliasEvent) e).getAnchor();
            ConfigNode target = anchors.get(anchor);
            if (target == null) {
                throw new ConfigException(where + "unknown alias *" + anchor);
            }
            if (++aliases > MAX_ALIASES) {
                throw new ConfigException(where + "more than " + MAX_ALIASES + " aliases");
            }
            return target;
        }
        ConfigNode node;
        if (e instanceof ScalarEvent) {
            ScalarEvent s = (ScalarEvent) e;
            node = new ConfigNode.Scalar(isNull(s) ? null : s.getValue(), where);
        } else if (e instanceof SequenceStartEvent) {
            List<ConfigNode> items = new ArrayList<>();
            for (Event n = events.getEvent(); !n.is(Event.ID.SequenceEnd); n = events.getEvent()) {
                items.add(node(n));
            }
            node = new ConfigNode.Sequence(items, where);
        } else if (e instanceof MappingStartEvent) {
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            Map<String, String> keyWhere = new HashMap<>();
            for (Event k = events.getEvent(); !k.is(Event.ID.MappingEnd); k = events.getEvent()) {
                String kWhere = where(k.getStartMark());
                if (!(k instanceof ScalarEvent)) {
                    throw new ConfigException(kWhere + "a key is not a plain name");
                }
                String key = ((ScalarEvent) k).getValue();
                if (entries.containsKey(key)) {
                    throw new ConfigException(kWhere + "duplicate key '" + key + "'");
                }
                entries.put(key, node(events.getEvent()));
                keyWhere.put(key, kWhere);
            }
            node = new ConfigNode.Mapping(entries, keyWhere, where);
        } else {
            throw new ConfigException(where + "unexpected " + e);
        }
        if (e instanceof NodeEvent && ((NodeEvent) e).getAnchor() != null) {
            anchors.put(((NodeEvent) e).getAnchor(), node);
        }
        return node;
    }

    /** YAML's null: a plain empty scalar, ~, null, Null, NULL, or the !!null tag. */
    private static boolean isNull(ScalarEvent s) {
        if ("tag:yaml.org,2002:null".equals(s.getTag())) {
            return true;
        }
        if (!s.isPlain()) {
            return false;
        }
        String v = s.getValue();
        return v.isEmpty() || v.equals("~") || v.equals("null") || v.equals("Null") || v.equals("NULL");
    }

    private String where(Mark mark) {
        return source + ":" + (mark.getLine() + 1) + ": ";
    }
}
