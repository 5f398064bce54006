package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tunecho.hosts.HostEntry;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ProbeRecord;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.wire.IpCidr;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/probes?match=ADDRESS|CIDR}: the probed addresses (all when {@code match} is omitted), paged like
 * {@code /api/hosts} ({@code offset}, {@code limit}; {@code total} and {@code matched} in the answer), each with its
 * probes, first and last time, sources, series by protocol, and the entry that answers it now. The JSON of one
 * address is also the {@code probes} object of {@code GET /api/hosts/ADDRESS}.
 */
final class ProbeRoutes {
    private final AdminContext context;

    ProbeRoutes(AdminContext context) {
        this.context = context;
    }

    Response list(Map<String, List<String>> query) throws ApiRoutes.BadRequest {
        ProbeTable probes = context.probes();
        IpCidr match = null;
        List<String> m = query.get("match");
        if (m != null && !m.isEmpty() && !m.get(0).isBlank()) {
            try {
                match = IpCidr.parse(m.get(0));
            } catch (IllegalArgumentException e) {
                throw new ApiRoutes.BadRequest(e.getMessage(), "match");
            }
        }
        int offset = ApiRoutes.intParam(query, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = ApiRoutes.intParam(query, "limit", 100_000, 1, 100_000);
        ProbeTable.Page page = probes == null ? new ProbeTable.Page(0, List.of())
                : probes.page(match == null ? null : match.subnet(), offset, limit);
        HostTable t = context.control().current();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("total", probes == null ? 0 : probes.size());
        root.put("matched", page.matched());
        root.put("offset", offset);
        root.put("forgotten", probes == null ? 0 : probes.forgotten());
        root.put("max_addresses", probes == null ? 0 : probes.maxAddresses());
        ArrayNode list = root.putArray("probes");
        for (ProbeRecord r : page.records()) {
            list.add(json(r, t));
        }
        return Response.json(HttpResponseStatus.OK, root);
    }

    /** What is known of the probes of one address, or JSON null when it was never probed (or was forgotten). */
    JsonNode of(IpCidr address, HostTable t) {
        ProbeTable probes = context.probes();
        ProbeRecord r = probes == null ? null : probes.get(address);
        return r == null ? NullNode.getInstance() : json(r, t);
    }

    static ObjectNode json(ProbeRecord r, HostTable t) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        IpCidr a = r.address();
        o.put("address", a.addressText());
        HostEntry e = a.isIpv4() ? t.lookupIpv4(a.ipv4Address()) : t.lookupIpv6(a.high(), a.low());
        o.put("entry", e != null && e.isHost() ? e.match().toString() : null);
        o.put("probes", r.probes());
        time(o, "first", r.firstMillis());
        time(o, "last", r.lastMillis());
        ArrayNode sources = o.putArray("sources");
        r.sources().forEach(s -> sources.add(s.addressText()));
        ObjectNode protocols = o.putObject("protocols");
        r.byProtocol().forEach((p, s) -> {
            ObjectNode x = protocols.putObject(p.name().toLowerCase(Locale.ROOT));
            x.put("probes", s.probes());
            time(x, "first", s.firstMillis());
            time(x, "last", s.lastMillis());
            boolean intervals = s.probes() > 1;
            x.put("last_interval_ms", intervals ? s.lastIntervalMillis() : null);
            x.put("mean_interval_ms", intervals ? s.meanIntervalMillis() : null);
            x.put("max_interval_ms", intervals ? s.maxIntervalMillis() : null);
        });
        return o;
    }

    /** {@code name}: ISO-8601 time; {@code name_millis}: ms since the epoch. */
    private static void time(ObjectNode o, String name, long millis) {
        o.put(name, Instant.ofEpochMilli(millis).toString());
        o.put(name + "_millis", millis);
    }
}
