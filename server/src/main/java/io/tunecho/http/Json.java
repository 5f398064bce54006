package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunecho.config.ConfigNode;
import io.tunecho.control.HostControl;
import io.tunecho.control.HostEvent;
import io.tunecho.hosts.Behaviour;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.Durations;
import io.tunecho.hosts.HostCounters;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.Timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The admin API's JSON: host entries, events and errors out; request bodies in, as {@link ConfigNode} trees. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /**
     * A request body as a config tree, so that the config loader's own readers check it (and say the same things);
     * nodes carry no position ("" where the file would say "file:line: ").
     */
    static ConfigNode toConfig(JsonNode n) {
        if (n.isObject()) {
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                entries.put(e.getKey(), toConfig(e.getValue()));
            }
            return new ConfigNode.Mapping(entries, Map.of(), "");
        }
        if (n.isArray()) {
            List<ConfigNode> items = new ArrayList<>();
            n.forEach(i -> items.add(toConfig(i)));
            return new ConfigNode.Sequence(items, "");
        }
        return new ConfigNode.Scalar(n.isNull() ? null : n.asText(), "");
    }

    static ObjectNode error(String message, String field) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("error", message);
        if (field != null) {
            o.put("field", field);
        }
        return o;
    }

    /**
     * An entry with its behaviour now (for the address {@code offset} places after its first), its timeline's phase,
     * its override and its counters.
     */
    static ObjectNode entry(HostEntry e, long offset, HostControl.HostOverride override) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("match", e.match().toString());
        o.put("profile", e.profile());
        o.put("source", e.source());
        long now = Clock.SYSTEM.nanoTime();
        Behaviour b = e.behaviourAt(now, offset);
        o.put("state", b.state().toString());
        ObjectNode settings = o.putObject("settings");
        b.settings().describe().forEach(settings::put);
        Timeline tl = e.timeline();
        if (tl == null) {
            o.putNull("timeline");
        } else {
            ObjectNode t = o.putObject("timeline");
            long elapsed = e.elapsedNanos(now, offset);
            int step = tl.stepAt(elapsed);
            t.put("step", step < 0 ? null : step + 1);
            t.put("steps", tl.size());
            t.put("repeat", tl.repeats());
            t.put("flapping", flaps(tl));
            if (step >= 0) {
                t.put("remaining", Durations.format(tl.remainingAt(elapsed) / 1_000_000 * 1_000_000));
            }
            if (e.staggerNanos() > 0) {
                t.put("stagger", Durations.format(e.staggerNanos()));
            }
            t.put("spec", tl.spec().toString());
        }
        if (override == null) {
            o.putNull("override");
        } else {
            ObjectNode ov = o.putObject("override");
            if (override.profile() != null) {
                ov.put("profile", override.profile());
            }
            ObjectNode s = ov.putObject("settings");
            override.settings().describe().forEach(s::put);
            if (override.expires()) {
                ov.put("expires", override.expiresAt().toString());
            } else {
                ov.putNull("expires");
            }
        }
        o.set("counters", counters(e.counters()));
        return o;
    }

    /** Whether a timeline goes up and down (or unreachable) over and over: a repeating one whose steps differ in state. */
    static boolean flaps(Timeline tl) {
        if (!tl.repeats()) {
            return false;
        }
        for (int i = 1; i < tl.size(); i++) {
            if (tl.step(i).state() != tl.step(0).state()) {
                return true;
            }
        }
        return false;
    }

    static ObjectNode counters(HostCounters c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("requests", c.requests());
        o.put("replies", c.replies());
        o.put("unreachable", c.errors());
        ObjectNode d = o.putObject("dropped");
        for (HostCounters.Drop drop : HostCounters.Drop.values()) {
            d.put(drop.metricName(), c.dropped(drop));
        }
        long last = c.lastProbedMillis();
        if (last == 0) {
            o.putNull("last_probed");
        } else {
            o.put("last_probed", Instant.ofEpochMilli(last).toString());
        }
        return o;
    }

    static ArrayNode events(List<HostEvent> events) {
        ArrayNode a = MAPPER.createArrayNode();
        for (HostEvent e : events) {
            ObjectNode o = a.addObject();
            o.put("time", e.time().toString());
            o.put("cause", e.cause().toString());
            o.put("entry", e.entry());
            o.put("change", e.change());
        }
        return a;
    }
}
