package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tunecho.drill.AlertNotice;
import io.tunecho.drill.Alerts;
import io.tunecho.wire.IpCidr;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/alerts}: an alert fired or resolved (Alertmanager's webhook payload, or the small JSON form that
 * {@link Alerts} describes); answers 200 with the notices received. {@code GET /api/alerts?limit=N}: the last notices,
 * newest first. An alert is taken on the control thread, so that the listeners (a scenario's expectations) hear it
 * in order with the changes of the hosts and judge it against the host table then in force.
 */
final class AlertRoutes {
    private static final int DEFAULT_LIMIT = 100;

    private final AdminContext context;

    AlertRoutes(AdminContext context) {
        this.context = context;
    }

    CompletableFuture<Response> handle(HttpMethod method, Map<String, List<String>> query, FullHttpRequest req)
            throws ApiRoutes.BadRequest {
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            int limit = ApiRoutes.intParam(query, "limit", DEFAULT_LIMIT, 1, Alerts.KEEP);
            return CompletableFuture.completedFuture(Response.json(HttpResponseStatus.OK,
                    notices(context.alerts().recent(limit))));
        }
        if (!method.equals(HttpMethod.POST)) {
            return CompletableFuture.completedFuture(ApiRoutes.notAllowed());
        }
        JsonNode body = ApiRoutes.jsonBody(req);
        return CompletableFuture.supplyAsync(() -> receive(body), context.control().executor());
    }

    private Response receive(JsonNode body) {
        List<AlertNotice> received;
        try {
            received = context.alerts().receive(body);
        } catch (Alerts.BadAlert e) {
            return Response.error(HttpResponseStatus.BAD_REQUEST, e.getMessage(), e.field());
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("received", received.size());
        o.set("alerts", notices(received));
        return Response.json(HttpResponseStatus.OK, o);
    }

    /** Notices as JSON: {@code [{"status": "firing", "name": ..., "addresses": [...], ...}]}. */
    static ArrayNode notices(List<AlertNotice> notices) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (AlertNotice n : notices) {
            ObjectNode o = a.addObject();
            o.put("status", n.status().name().toLowerCase(Locale.ROOT));
            o.put("name", n.name());
            ArrayNode addresses = o.putArray("addresses");
            for (IpCidr address : n.addresses()) {
                addresses.add(address.addressText());
            }
            ObjectNode labels = o.putObject("labels");
            n.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> labels.put(e.getKey(), e.getValue()));
            o.put("received", Instant.ofEpochMilli(n.receivedMillis()).toString());
            o.put("source", n.source());
        }
        return a;
    }
}
