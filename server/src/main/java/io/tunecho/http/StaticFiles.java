package io.tunecho.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lab page's files, served from the jar ({@code io/tunecho/http/lab/}): nothing is fetched from elsewhere, so the
 * page works on a machine without internet. Paths are looked up in a fixed list; nothing else is read.
 */
final class StaticFiles {
    private static final String ROOT = "/io/tunecho/http/lab/";
    private static final Map<String, String> TYPES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/lab.js", "lab.js",
            "/lab.css", "lab.css");
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    Response get(String path) {
        String name = TYPES.get(path);
        if (name == null) {
            return Response.error(HttpResponseStatus.NOT_FOUND, "no such path: " + path, null);
        }
        byte[] body = cache.computeIfAbsent(name, StaticFiles::load);
        if (body.length == 0) {
            return Response.error(HttpResponseStatus.NOT_FOUND, "no such file: " + name, null);
        }
        return new Response(HttpResponseStatus.OK, contentType(name), body, Map.of());
    }

    private static byte[] load(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "text/css; charset=utf-8";
    }
}
