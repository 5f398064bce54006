package io.tunecho.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The body of {@code PUT /api/hosts/MATCH} as the admin API reads it (JSON, then the host settings) on arbitrary bytes
 * and on JSON built from the settings' own names: the only refusal is a {@link ApiRoutes.BadRequest} with a one-line
 * message, and what is accepted has settings.
 */
class ApiBodyFuzzTest {
    private static final String[] KEYS = {"state", "ttl", "delay", "jitter", "distribution", "reorder", "loss", "p",
        "r", "duplicate", "corrupt", "rate", "gateway", "hops", "any", "by", "tcp", "open", "timeline", "repeat",
        "steps", "for", "profile", "x"};
    private static final String[] VALUES = {"\"down\"", "\"up\"", "\"unreachable\"", "64", "0", "-1", "256",
        "\"10ms\"", "\"1s\"", "\"5%\"", "0.5", "1e309", "true", "null", "[]", "{}", "\"198.18.0.1\"", "[22, 80]",
        "\"flow\"", "\"none\"", "\"\\u0000\"", "\"\\n\"", "\"" + "9".repeat(40) + "\""};

    @FuzzTest(maxDuration = "15s")
    void putBody(FuzzedDataProvider data) {
        byte[] body;
        if (data.consumeBoolean()) {
            body = json(data, 0).getBytes(StandardCharsets.UTF_8);
        } else {
            body = data.consumeRemainingAsBytes();
        }
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/api/hosts/198.18.0.9",
                Unpooled.buffer(body.length).writeBytes(body)); // not wrappedBuffer: an empty one is the unreleasable EMPTY_BUFFER
        try {
            ApiRoutes.HostChange change = ApiRoutes.hostChange(req);
            assertNotNull(change.settings());
            assertTrue(change.forNanos() == null || change.forNanos() > 0);
        } catch (ApiRoutes.BadRequest refused) {
            String m = refused.getMessage();
            assertTrue(m != null && !m.isBlank() && m.indexOf('\n') < 0 && m.indexOf('\r') < 0,
                    "not a one-line message: " + m);
        } finally {
            assertEquals(1, req.refCnt(), "hostChange must leave the request to its caller");
            req.release();
        }
    }

    /** A JSON value built from the settings' names and values, nested a little. */
    private static String json(FuzzedDataProvider data, int depth) {
        int kind = depth > 3 ? 0 : data.consumeInt(0, 2);
        if (kind == 0) {
            return data.consumeBoolean() ? data.pickValue(VALUES) : '"' + data.consumeString(12).replace("\\", "\\\\")
                    .replace("\"", "\\\"") + '"';
        }
        StringBuilder sb = new StringBuilder();
        int n = data.consumeInt(0, 5);
        if (kind == 1) {
            sb.append('[');
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : ",").append(json(data, depth + 1));
            }
            return sb.append(']').toString();
        }
        sb.append('{');
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(data.pickValue(KEYS)).append("\":")
                    .append(json(data, depth + 1));
        }
        return sb.append('}').toString();
    }
}
