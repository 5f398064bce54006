package io.tunecho.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a route answers: a status, a content type, a body and extra headers. */
record Response(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json; charset=utf-8";

    static Response json(HttpResponseStatus status, JsonNode body) {
        try {
            return new Response(status, JSON, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body),
                    Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree always serializes
        }
    }

    static Response error(HttpResponseStatus status, String message, String field) {
        return json(status, Json.error(message, field));
    }

    static Response text(HttpResponseStatus status, String contentType, String body) {
        return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    Response withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, contentType, body, h);
    }
}
