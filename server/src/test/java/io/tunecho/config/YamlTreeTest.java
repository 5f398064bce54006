package io.tunecho.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YamlTreeTest {

    private static ConfigNode.Mapping mapping(String yaml) throws ConfigException {
        return assertInstanceOf(ConfigNode.Mapping.class, YamlTree.parse(yaml, "t.yaml"));
    }

    @Test
    void nodesKeepTheirOrderTextAndLine() throws ConfigException {
        ConfigNode.Mapping root = mapping("interface:\n  name: tun0\n  mtu: 1500\nanswer: [198.18.0.0/24, 203.0.113.0/24]\n");
        assertEquals(List.of("interface", "answer"), List.copyOf(root.entries().keySet()));
        ConfigNode.Mapping iface = assertInstanceOf(ConfigNode.Mapping.class, root.entries().get("interface"));
        assertEquals(List.of("name", "mtu"), List.copyOf(iface.entries().keySet()));
        ConfigNode.Scalar mtu = assertInstanceOf(ConfigNode.Scalar.class, iface.entries().get("mtu"));
        assertEquals("1500", mtu.text());
        assertEquals("t.yaml:3: ", mtu.where());
        assertEquals("t.yaml:3: ", iface.whereKey("mtu"));
        ConfigNode.Sequence answer = assertInstanceOf(ConfigNode.Sequence.class, root.entries().get("answer"));
        assertEquals(2, answer.items().size());
        assertEquals("203.0.113.0/24", ((ConfigNode.Scalar) answer.items().get(1)).text());
    }

    @Test
    void yamlsNullsAreNullAndAQuotedNullIsText() throws ConfigException {
        ConfigNode.Mapping root = mapping("a:\nb: ~\nc: null\nd: NULL\ne: !!null x\nf: 'null'\ng: \"\"\n");
        for (String k : List.of("a", "b", "c", "d", "e")) {
            assertTrue(((ConfigNode.Scalar) root.entries().get(k)).isNull(), k);
        }
        assertEquals("null", ((ConfigNode.Scalar) root.entries().get("f")).text());
        assertEquals("", ((ConfigNode.Scalar) root.entries().get("g")).text());
    }

    @Test
    void anEmptyDocumentIsNoTree() throws ConfigException {
        assertNull(YamlTree.parse("", "t.yaml"));
        assertNull(YamlTree.parse("# only a comment\n", "t.yaml"));
    }

    @Test
    void anAliasIsTheAnchoredNode() throws ConfigException {
        ConfigNode.Mapping root = mapping("slow: &slow { delay: 100ms }\nalso: *slow\n");
        assertSame(root.entries().get("slow"), root.entries().get("also"));
    }

    @Test
    void refusalsNameTheFileTheLineAndTheProblem() {
        assertEquals("t.yaml:2: duplicate key 'mtu'",
                assertThrows(ConfigException.class, () -> YamlTree.parse("mtu: 1\nmtu: 2\n", "t.yaml")).getMessage());
        assertEquals("t.yaml:1: unknown alias *nowhere",
                assertThrows(ConfigException.class, () -> YamlTree.parse("a: *nowhere\n", "t.yaml")).getMessage());
        assertEquals("t.yaml:1: a key is not a plain name",
                assertThrows(ConfigException.class, () -> YamlTree.parse("[a]: 1\n", "t.yaml")).getMessage());
        assertEquals("t.yaml:2: a config file holds one YAML document", // where the second one starts
                assertThrows(ConfigException.class, () -> YamlTree.parse("a: 1\n---\nb: 2\n", "t.yaml"))
                        .getMessage());
        String broken = assertThrows(ConfigException.class, () -> YamlTree.parse("a: [1, 2\n", "t.yaml"))
                .getMessage();
        assertTrue(broken.startsWith("t.yaml:") && broken.contains(": not valid YAML: "), broken);
    }

    @Test
    void aliasesAreBounded() {
        StringBuilder yaml = new StringBuilder("a: &x 1\nlist:\n");
        for (int i = 0; i <= YamlTree.MAX_ALIASES; i++) {
            yaml.append("  - *x\n");
        }
        ConfigException e = assertThrows(ConfigException.class, () -> YamlTree.parse(yaml.toString(), "t.yaml"));
        assertEquals("t.yaml:" + (YamlTree.MAX_ALIASES + 3) + ": more than " + YamlTree.MAX_ALIASES + " aliases",
                e.getMessage());
    }
}
