package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tunecho.config.ConfigException;
import io.tunecho.config.ConfigNode;
import io.tunecho.config.HostKeys;
import io.tunecho.config.ValueTypes;
import io.tunecho.control.HostControl;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostTable;
import io.tunecho.transport.AbstractTunChannel;
import io.tunecho.wire.IpCidr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What each path answers. {@code /metrics} and {@code /health} are open unless configured otherwise; everything under
 * {@code /api} needs the bearer token when one is set (401 otherwise). Bad input is 400 with a JSON error that names
 * the field, in the config loader's words. Reads answer on the HTTP loop; changes run on the control thread.
 */
final class ApiRoutes {
    private static final String API = "/api/";
    private static final List<String> PUT_EXTRA = List.of("for", "profile");

    private final AdminContext context;
    private final byte[] token;
    private final boolean protectMetrics;
    private final Metrics metrics;
    private final StaticFiles files = new StaticFiles();
    private final ProbeRoutes probes;
    private final AlertRoutes alerts;
    private final ScenarioRoutes scenario;

    ApiRoutes(AdminContext context, String token, boolean protectMetrics, ConnectionLimit connections) {
        this.context = context;
        this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
        this.protectMetrics = protectMetrics;
        this.metrics = new Metrics(context, connections);
        this.probes = new ProbeRoutes(context);
        this.alerts = new AlertRoutes(context);
        this.scenario = new ScenarioRoutes(context.scenario(), context.control().executor());
    }

    CompletableFuture<Response> handle(FullHttpRequest req) {
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        HttpMethod method = req.method();
        try {
            if (path.equals("/metrics")) {
                if (protectMetrics && !authorized(req)) {
                    return done(unauthorized());
                }
                return done(only(method, HttpMethod.GET) ? Response.text(HttpResponseStatus.OK,
                        "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()) : notAllowed());
            }
            if (path.equals("/health")) {
                if (protectMetrics && !authorized(req)) {
                    return done(unauthorized());
                }
                return done(only(method, HttpMethod.GET) ? health() : notAllowed());
            }
            if (path.equals("/api") || path.startsWith(API)) {
                if (!authorized(req)) {
                    return done(unauthorized());
                }
                return api(method, path.substring(Math.min(path.length(), API.length())), uri.parameters(), req);
            }
            if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
                return done(files.get(path));
            }
            return done(Response.error(HttpResponseStatus.NOT_FOUND, "no such path: " + path, null));
        } catch (BadRequest e) {
            return done(Response.error(HttpResponseStatus.BAD_REQUEST, e.getMessage(), e.field));
        }
    }

    private CompletableFuture<Response> api(HttpMethod method, String rest, Map<String, List<String>> query,
            FullHttpRequest req) throws BadRequest {
        HostControl control = context.control();
        if (rest.equals("hosts")) {
            return done(only(method, HttpMethod.GET) ? hosts(query) : notAllowed());
        }
        if (rest.startsWith("hosts/")) {
            String target = rest.substring("hosts/".length());
            if (method.equals(HttpMethod.GET)) {
                return done(host(address(target)));
            }
            if (method.equals(HttpMethod.PUT)) {
                IpCidr match = cidr(target);
                HostChange change = hostChange(req);
                return onControl(() -> {
                    HostEntry e = control.put(match, change.profile(), change.settings(), change.forNanos());
                    return Response.json(HttpResponseStatus.OK, Json.entry(e, 0, control.overrides().get(e.match())));
                });
            }
            if (method.equals(HttpMethod.DELETE)) {
                IpCidr match = cidr(target);
                return onControl(() -> control.delete(match)
                        ? Response.json(HttpResponseStatus.OK, message("override of " + match.subnet() + " removed"))
                        : Response.error(HttpResponseStatus.NOT_FOUND, "no override of " + match.subnet(), null));
            }
            return done(notAllowed());
        }
        if (rest.equals("reset")) {
            if (!method.equals(HttpMethod.POST)) {
                return done(notAllowed());
            }
            return onControl(() -> Response.json(HttpResponseStatus.OK, message(control.reset()
                    + " overrides removed")));
        }
        if (rest.equals("reload")) {
            if (!method.equals(HttpMethod.POST)) {
                return done(notAllowed());
            }
            return onControl(() -> Response.json(HttpResponseStatus.OK, message("reloaded: "
                    + context.reloader().reload())));
        }
        if (rest.equals("events")) {
            if (!method.equals(HttpMethod.GET)) {
                return done(notAllowed());
            }
            int limit = intParam(query, "limit", 100, 1, 1_000_000);
            return done(Response.json(HttpResponseStatus.OK, Json.events(control.events().recent(limit))));
        }
        if (rest.equals("capture")) {
            return capture(method, req);
        }
        if (rest.equals("probes")) {
            return done(only(method, HttpMethod.GET) ? probes.list(query) : notAllowed());
        }
        if (rest.equals("alerts")) {
            return alerts.handle(method, query, req);
        }
        if (ScenarioRoutes.handles(rest)) {
            return scenario.handle(method, rest);
        }
        return done(Response.error(HttpResponseStatus.NOT_FOUND, "no such path: /api/" + rest, null));
    }

    /** The entries, optionally filtered ({@code q}: an address, or text in the prefix or profile) and paged. */
    private Response hosts(Map<String, List<String>> query) throws BadRequest {
        HostTable t = context.control().current();
        Map<IpCidr, HostControl.HostOverride> overrides = context.control().overrides();
        int offset = intParam(query, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(query, "limit", 100_000, 1, 100_000);
        String q = query.containsKey("q") ? query.get("q").get(0).trim() : "";
        IpCidr address = null;
        if (!q.isEmpty()) {
            try {
                address = IpCidr.parse(q);
            } catch (IllegalArgumentException e) {
                address = null; // a text filter
            }
        }
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = Json.MAPPER.createArrayNode();
        int matched = 0;
        for (HostEntry e : t.entries()) {
            boolean match = q.isEmpty()
                    || address != null && (address.isSingleAddress() ? e.match().contains(address)
                    : e.match().equals(address.subnet()) || address.contains(e.match()))
                    || address == null && (e.match().toString().contains(q) || e.profile().contains(q));
            if (!match) {
                continue;
            }
            if (matched >= offset && list.size() < limit) {
                list.add(Json.entry(e, 0, overrides.get(e.match())));
            }
            matched++;
        }
        root.put("total", t.entries().size());
        root.put("matched", matched);
        root.put("offset", offset);
        if (address != null && address.isSingleAddress()) {
            HostEntry answering = address.isIpv4() ? t.lookupIpv4(address.ipv4Address())
                    : t.lookupIpv6(address.high(), address.low());
            root.put("answered_by", answering != null && answering.isHost() ? answering.match().toString() : null);
        }
        root.set("hosts", list);
        return Response.json(HttpResponseStatus.OK, root);
    }

    /** The entry that answers one address, with its behaviour for that address. */
    private Response host(IpCidr address) {
        HostTable t = context.control().current();
        HostEntry e = address.isIpv4() ? t.lookupIpv4(address.ipv4Address())
                : t.lookupIpv6(address.high(), address.low());
        if (e == null || !e.isHost()) {
            return Response.error(HttpResponseStatus.NOT_FOUND, address.addressText() + " is not answered"
                    + (e == null ? "" : " (" + e.role() + " address)"), null);
        }
        long offset = address.isIpv4() ? e.offsetOfIpv4(address.ipv4Address()) : address.low() - e.match().low();
        ObjectNode o = Json.entry(e, offset, context.control().overrides().get(e.match()));
        o.put("address", address.addressText());
        o.set("probes", probes.of(address, t));
        return Response.json(HttpResponseStatus.OK, o);
    }

    private Response health() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode queues = o.putArray("channels");
        String down = null;
        List<AbstractTunChannel> channels = context.channels().get();
        for (AbstractTunChannel ch : channels) {
            ObjectNode c = queues.addObject();
            c.put("id", ch.id().asShortText());
            c.put("interface", ch.localAddress() == null ? null : ch.localAddress().name());
            c.put("active", ch.isActive());
            if (!ch.isActive() && down == null) {
                down = "channel " + ch.id().asShortText() + " is closed (the interface went away?)";
            }
        }
        if (channels.isEmpty()) {
            down = "no channel";
        }
        o.put("status", down == null ? "answering" : "down");
        if (down != null) {
            o.put("reason", down);
        }
        return Response.json(down == null ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, o);
    }

    private CompletableFuture<Response> capture(HttpMethod method, FullHttpRequest req) throws BadRequest {
        if (method.equals(HttpMethod.GET)) {
            return done(Response.json(HttpResponseStatus.OK, captureStatus()));
        }
        if (method.equals(HttpMethod.DELETE)) {
            return onControl(() -> {
                boolean was = context.capture().stop();
                return was ? Response.json(HttpResponseStatus.OK, captureStatus())
                        : Response.error(HttpResponseStatus.NOT_FOUND, "no capture runs", null);
            });
        }
        if (!method.equals(HttpMethod.POST)) {
            return done(notAllowed());
        }
        Path file = context.config().captureFile();
        long maxSize = context.config().captureMaxSize();
        if (req.content().isReadable()) {
            ConfigNode body = body(req);
            if (!(body instanceof ConfigNode.Mapping)) {
                throw new BadRequest("the body must be a JSON object such as {\"file\": \"/tmp/t.pcap\"}", null);
            }
            ConfigNode.Mapping m = (ConfigNode.Mapping) body;
            for (String key : m.entries().keySet()) {
                if (!key.equals("file") && !key.equals("max-size")) {
                    throw new BadRequest("unknown key '" + key + "' in the request (known keys: file, max-size)", key);
                }
            }
            try {
                if (m.entries().containsKey("file")) {
                    file = ValueTypes.path().read(m.entries().get("file"), "file");
                }
                if (m.entries().containsKey("max-size")) {
                    maxSize = ValueTypes.size().read(m.entries().get("max-size"), "max-size");
                }
            } catch (ConfigException e) {
                throw new BadRequest(e.getMessage(), e.field());
            }
        }
        if (file == null) {
            throw new BadRequest("no capture file: give {\"file\": \"/tmp/t.pcap\"} or set capture.file", "file");
        }
        Path f = file;
        long size = maxSize;
        return onControl(() -> {
            try {
                context.capture().start(f, size);
            } catch (IOException e) {
                return Response.error(HttpResponseStatus.BAD_REQUEST, "cannot create " + f + ": " + e.getMessage(),
                        "file");
            }
            return Response.json(HttpResponseStatus.OK, captureStatus());
        });
    }

    private ObjectNode captureStatus() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        Path file = context.capture().file();
        o.put("running", file != null);
        o.put("file", file == null ? null : file.toString());
        o.put("size", context.capture().size());
        o.put("packets_written", context.capture().written());
        o.put("packets_dropped", context.capture().dropped());
        return o;
    }

    // ---- request parts

    /** What a {@code PUT /api/hosts/MATCH} asks for: settings, for how long (or null: until removed), a profile. */
    record HostChange(HostSettings settings, Long forNanos, String profile) {
    }

    /** Reads a {@code PUT /api/hosts/MATCH} body; every refusal is a {@link BadRequest} with a one-line message. */
    static HostChange hostChange(FullHttpRequest req) throws BadRequest {
        ConfigNode body = body(req);
        return new HostChange(settings(body), forNanos(body), profile(body));
    }

    private static ConfigNode body(FullHttpRequest req) throws BadRequest {
        JsonNode json = jsonBody(req);
        if (json == null || !json.isObject()) {
            throw new BadRequest("the body must be a JSON object of settings, such as {\"state\": \"down\"}", null);
        }
        return Json.toConfig(json);
    }

    /** The request's body as JSON; 400 when there is none or it is not JSON. */
    static JsonNode jsonBody(FullHttpRequest req) throws BadRequest {
        if (!req.content().isReadable()) {
            throw new BadRequest("the request needs a JSON body", null);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(req.content().toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BadRequest("the body is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException
                    ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getOriginalMessage() : e.getMessage()), null);
        }
        return json;
    }

    private static HostSettings settings(ConfigNode body) throws BadRequest {
        try {
            return HostKeys.readSettings(body, "", PUT_EXTRA);
        } catch (ConfigException e) {
            throw new BadRequest(e.getMessage(), e.field());
        }
    }

    private static Long forNanos(ConfigNode body) throws BadRequest {
        ConfigNode f = ((ConfigNode.Mapping) body).entries().get("for");
        if (f == null) {
            return null;
        }
        try {
            long nanos = ValueTypes.duration().read(f, "for");
            if (nanos <= 0) {
                throw new BadRequest("for must be longer than 0", "for");
            }
            return nanos;
        } catch (ConfigException e) {
            throw new BadRequest(e.getMessage(), e.field());
        }
    }

    private static String profile(ConfigNode body) throws BadRequest {
        ConfigNode p = ((ConfigNode.Mapping) body).entries().get("profile");
        if (p == null) {
            return null;
        }
        try {
            return ValueTypes.word().read(p, "profile");
        } catch (ConfigException e) {
            throw new BadRequest(e.getMessage(), e.field());
        }
    }

    private static IpCidr cidr(String text) throws BadRequest {
        String t = QueryStringDecoder.decodeComponent(text);
        try {
            return IpCidr.parse(t);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage(), "match");
        }
    }

    private static IpCidr address(String text) throws BadRequest {
        IpCidr a = cidr(text);
        if (!a.isSingleAddress()) {
            throw new BadRequest("'" + a + "' is a prefix: GET /api/hosts/ADDRESS takes one address (GET /api/hosts?q="
                    + a + " lists the entries of a prefix)", "match");
        }
        return a;
    }

    static int intParam(Map<String, List<String>> query, String name, int dflt, int min, int max)
            throws BadRequest {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.get(0).trim());
            if (n < min || n > max) {
                throw new BadRequest(name + " " + n + " is out of range; give " + min + ".." + max, name);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " '" + v.get(0) + "' is not a number", name);
        }
    }

    private boolean authorized(FullHttpRequest req) {
        if (token == null) {
            return true;
        }
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        return h != null && MessageDigest.isEqual(h.trim().getBytes(StandardCharsets.US_ASCII), token);
    }

    private static Response unauthorized() {
        return Response.error(HttpResponseStatus.UNAUTHORIZED, "this needs the token: Authorization: Bearer TOKEN", null)
                .withHeader("WWW-Authenticate", "Bearer realm=\"tunecho\"");
    }

    private static boolean only(HttpMethod method, HttpMethod allowed) {
        return method.equals(allowed) || allowed.equals(HttpMethod.GET) && method.equals(HttpMethod.HEAD);
    }

    static Response notAllowed() {
        return Response.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed here", null);
    }

    private static ObjectNode message(String text) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("result", text);
        return o;
    }

    private static CompletableFuture<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }

    /** A change of the hosts: on the control thread; a refused change answers 400 with its reason. */
    private CompletableFuture<Response> onControl(ControlCall call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.run();
            } catch (ConfigException e) {
                return Response.error(HttpResponseStatus.BAD_REQUEST, e.getMessage(), e.field());
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, context.control().executor());
    }

    @FunctionalInterface
    private interface ControlCall {
        Response run() throws Exception;
    }

    /** Input the API refuses: 400, naming the field. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final String field;

        BadRequest(String message, String field) {
            super(message);
            this.field = field;
        }
    }
}
