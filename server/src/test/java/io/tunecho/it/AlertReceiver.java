package io.tunecho.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for a webhook receiver: a JDK HTTP server on 127.0.0.1 (in the namespace tests' own namespace) that
 * keeps every Alertmanager notification it gets, with the time it arrived. It asks for the same bearer token as
 * tunecho's API and answers 401 without it, so that Alertmanager's {@code http_config} is checked too.
 */
final class AlertReceiver implements AutoCloseable {
    static final String PATH = "/api/alerts";

    /** One webhook call: its JSON body and when it arrived ({@link System#nanoTime()}). */
    record Notification(long receivedNanos, JsonNode body) {
        String status() {
            return body.path("status").asText();
        }

        /** Whether one of its alerts has {@code address} as a whole label value (instance="198.18.0.10"). */
        boolean concerns(String address) {
            for (JsonNode alert : body.path("alerts")) {
                for (JsonNode value : alert.path("labels")) {
                    if (value.asText().equals(address)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private final String token;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "alert-receiver");
        t.setDaemon(true);
        return t;
    });
    private final ObjectMapper json = new ObjectMapper();
    private final List<Notification> received = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    AlertReceiver(String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(PATH, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Where Alertmanager's webhook should go. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!"POST".equals(exchange.getRequestMethod()) || !("Bearer " + token).equals(authorization)) {
                refused.add(exchange.getRequestMethod() + " with Authorization: " + authorization);
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            received.add(new Notification(now, json.readTree(body)));
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** The first notification with this status ("firing", "resolved") that concerns the address, if any yet. */
    Optional<Notification> first(String status, String address) {
        return received.stream().filter(n -> n.status().equals(status) && n.concerns(address)).findFirst();
    }

    /** Waits for {@link #first}; empty if none came within {@code seconds}. */
    Optional<Notification> await(String status, String address, long seconds) throws Exception {
        return Poll.until(seconds, () -> first(status, address), Optional::isPresent);
    }

    List<Notification> received() {
        return List.copyOf(received);
    }

    /** Calls answered 401, for a failing test's message. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
