package io.tunecho.drill;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunecho.control.Cause;
import io.tunecho.control.EventLog;
import io.tunecho.control.HostEvent;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostTable;
import io.tunecho.wire.IpCidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The alerts tunecho receives ({@code POST /api/alerts}), in either of two forms:
 * <ul>
 * <li>Alertmanager's webhook payload (version 4): an object with {@code alerts}, each with its own {@code status}
 * and {@code labels}. One notice per alert, named by its {@code alertname} label, concerning every answered address
 * written whole in one of its label values ({@link LabelAddresses});</li>
 * <li>a small form for anything else (Grafana's or Zabbix's webhooks, a script):
 * {@code {"status": "firing", "name": "HostDown", "address": "198.18.0.30"}}, or {@code "addresses": [...]}, and
 * optionally {@code "labels": {...}}; it concerns the answered addresses written in {@code address(es)}.</li>
 * </ul>
 * Each notice is an event ({@link Cause#ALERT}, its entry the addresses) and a log line; a notice that concerns no
 * answered address is recorded too, and its event says so. The last {@value #KEEP} are kept for {@link #recent}.
 * Listeners (the scenario's expectations) hear each notice on the receiving thread. Thread-safe.
 */
public final class Alerts {
    /** How many notices {@link #recent} can return. */
    public static final int KEEP = 1000;
    static final String ALERTMANAGER = "alertmanager";
    static final String JSON = "json";
    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    private static final Set<String> SMALL_FORM_KEYS = Set.of("status", "name", "address", "addresses", "labels");

    private final Supplier<HostTable> hosts;
    private final EventLog events;
    private final Clock clock;
    private final List<Consumer<AlertNotice>> listeners = new CopyOnWriteArrayList<>();
    private final ArrayDeque<AlertNotice> recent = new ArrayDeque<>();
    private final AtomicLongArray received = new AtomicLongArray(AlertNotice.Status.values().length);

    /**
     * @param hosts  the host table in force (which addresses are answered)
     * @param events where each notice is recorded
     * @param clock  the hosts' clock: a notice's {@link AlertNotice#receivedMillis()}
     */
    public Alerts(Supplier<HostTable> hosts, EventLog events, Clock clock) {
        this.hosts = hosts;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Reads a request body in either form, records each notice (an event and a log line), tells the listeners.
     * Nothing is recorded unless the whole body is valid.
     *
     * @return the notices received, in the body's order
     * @throws IllegalArgumentException (a {@link BadAlert}) naming the field at fault
     */
    public List<AlertNotice> receive(JsonNode body) throws IllegalArgumentException {
        if (body == null || !body.isObject()) {
            throw new BadAlert("the body must be a JSON object: Alertmanager's webhook payload, or "
                    + "{\"status\": \"firing\", \"name\": \"HostDown\", \"address\": \"198.18.0.30\"}", null);
        }
        HostTable table = hosts.get();
        long now = clock.currentTimeMillis();
        List<Received> notices = body.has("alerts") ? alertmanager(body, table, now) : List.of(small(body, table, now));
        List<AlertNotice> result = new ArrayList<>(notices.size());
        for (Received r : notices) {
            record(r);
            result.add(r.notice());
        }
        return result;
    }

    /** Adds a listener, called with each notice on the thread that received it; it must not block. */
    public void addListener(Consumer<AlertNotice> listener) {
        listeners.add(listener);
    }

    /** The last {@code limit} notices (at most {@value #KEEP}), newest first. */
    public synchronized List<AlertNotice> recent(int limit) {
        List<AlertNotice> out = new ArrayList<>(Math.min(limit, recent.size()));
        for (Iterator<AlertNotice> it = recent.descendingIterator(); it.hasNext() && out.size() < limit; ) {
            out.add(it.next());
        }
        return out;
    }

    /** How many notices of this status were received since start. */
    public long received(AlertNotice.Status status) {
        return received.get(status.ordinal());
    }

    // ---- the two forms

    /** A notice, and the addresses its text named that no host answers (for the event). */
    private record Received(AlertNotice notice, Set<IpCidr> unanswered) {
    }

    private static List<Received> alertmanager(JsonNode body, HostTable table, long now) {
        JsonNode alerts = body.get("alerts");
        if (!alerts.isArray()) {
            throw new BadAlert("alerts must be an array of alerts (Alertmanager's webhook payload)", "alerts");
        }
        List<Received> out = new ArrayList<>(alerts.size());
        for (int i = 0; i < alerts.size(); i++) {
            String at = "alerts[" + i + "]";
            JsonNode alert = alerts.get(i);
            if (!alert.isObject()) {
                throw new BadAlert(at + " must be an object with status and labels", at);
            }
            AlertNotice.Status status = status(alert.get("status"), at + ".status");
            Map<String, String> labels = labels(alert.get("labels"), at + ".labels", true);
            String name = labels.get("alertname");
            if (name == null || name.isBlank()) {
                throw new BadAlert(at + ".labels has no alertname: every alert needs one, it names the alert",
                        at + ".labels.alertname");
            }
            Set<IpCidr> found = new LinkedHashSet<>();
            for (String value : labels.values()) {
                LabelAddresses.find(value, found);
            }
            out.add(notice(status, name, found, labels, now, ALERTMANAGER, table));
        }
        return out;
    }

    private static Received small(JsonNode body, HostTable table, long now) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!SMALL_FORM_KEYS.contains(key)) {
                throw new BadAlert("unknown key '" + key + "' (known keys: status, name, address, addresses, labels; "
                        + "or Alertmanager's webhook payload, with alerts)", key);
            }
        }
        AlertNotice.Status status = status(body.get("status"), "status");
        JsonNode n = body.get("name");
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new BadAlert("name is required: the alert's name, such as \"HostDown\"", "name");
        }
        Set<IpCidr> found = new LinkedHashSet<>();
        if (body.has("address")) {
            address(body.get("address"), "address", found);
        }
        JsonNode list = body.get("addresses");
        if (list != null) {
            if (!list.isArray()) {
                throw new BadAlert("addresses must be an array of addresses, such as [\"198.18.0.30\"]",
                        "addresses");
            }
            for (int i = 0; i < list.size(); i++) {
                address(list.get(i), "addresses[" + i + "]", found);
            }
        }
        Map<String, String> labels = body.has("labels") ? labels(body.get("labels"), "labels", false) : Map.of();
        return notice(status, n.asText(), found, labels, now, JSON, table);
    }

    private static Received notice(AlertNotice.Status status, String name, Set<IpCidr> found,
            Map<String, String> labels, long now, String source, HostTable table) {
        List<IpCidr> answered = new ArrayList<>(found.size());
        Set<IpCidr> unanswered = new LinkedHashSet<>();
        for (IpCidr a : found) {
            (table.answers(a) ? answered : unanswered).add(a);
        }
        return new Received(new AlertNotice(status, name, answered, labels, now, source), unanswered);
    }

    private static AlertNotice.Status status(JsonNode s, String field) {
        if (s == null || !s.isTextual()) {
            throw new BadAlert(field + " is required: \"firing\" or \"resolved\"", field);
        }
        switch (s.asText().toLowerCase(Locale.ROOT)) {
            case "firing":
                return AlertNotice.Status.FIRING;
            case "resolved":
                return AlertNotice.Status.RESOLVED;
            default:
                throw new BadAlert(field + " '" + s.asText() + "' is neither \"firing\" nor \"resolved\"", field);
        }
    }

    /** A label map: an object of strings (Alertmanager's are; {@code required}: there must be one). */
    private static Map<String, String> labels(JsonNode o, String field, boolean required) {
        if (o == null && !required) {
            return Map.of();
        }
        if (o == null || !o.isObject()) {
            throw new BadAlert(field + " must be an object of label names and values", field);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new BadAlert(field + "." + e.getKey() + " must be a string", field + "." + e.getKey());
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** The addresses written in one value of the small form (a bare address, host:port, a URL); one at least. */
    private static void address(JsonNode v, String field, Set<IpCidr> found) {
        List<IpCidr> here = new ArrayList<>(1);
        if (v != null && v.isTextual()) {
            LabelAddresses.find(v.asText(), here);
        }
        if (here.isEmpty()) {
            throw new BadAlert(field + " " + v + " is not an IP address (198.18.0.30, 2001:db8::5, "
                    + "198.18.0.30:80 or a URL with one)", field);
        }
        found.addAll(here);
    }

    // ---- recording

    private void record(Received r) {
        AlertNotice n = r.notice();
        String what = "alert " + n.name() + " " + n.status().name().toLowerCase(Locale.ROOT) + " (" + n.source() + ")";
        String entry = addressList(n.addresses());
        String change = n.addresses().isEmpty()
                ? what + "; concerns no answered address" + (r.unanswered().isEmpty() ? ""
                        : " (" + addressList(r.unanswered()) + " not answered)")
                : what;
        events.record(new HostEvent(Instant.ofEpochMilli(n.receivedMillis()), Cause.ALERT, entry, change), false);
        log.info("{}{}", change, entry.isEmpty() ? "" : ": " + entry);
        received.incrementAndGet(n.status().ordinal());
        synchronized (this) {
            if (recent.size() == KEEP) {
                recent.removeFirst();
            }
            recent.addLast(n);
        }
        for (Consumer<AlertNotice> l : listeners) {
            try {
                l.accept(n);
            } catch (RuntimeException e) {
                log.warn("an alert listener failed on {}: {}", what, e.toString());
            }
        }
    }

    private static String addressList(Collection<IpCidr> addresses) {
        StringBuilder b = new StringBuilder();
        for (IpCidr a : addresses) {
            b.append(b.length() == 0 ? "" : ", ").append(a.addressText());
        }
        return b.toString();
    }

    /** A body {@link #receive} refuses: the message names the field, {@link #field()} is its path (or null). */
    public static final class BadAlert extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String field;

        BadAlert(String message, String field) {
            super(message);
            this.field = field;
        }

        /** The field at fault, as a path ({@code alerts[0].status}), or {@code null} for the body as a whole. */
        public String field() {
            return field;
        }
    }
}
