package io.tunecho.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.tunecho.control.HostControl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * One admin connection, in memory: the server side is an {@link EmbeddedChannel} with the handlers that
 * {@link AdminServer} installs ({@link AdminInitializer}); the client side encodes requests and decodes answers with
 * Netty's HTTP client codec, so what is tested is the bytes on the wire. Each answer is copied out and its buffer
 * released.
 *
 * <p>Changes of the hosts complete on the control thread, which then hands the answer to the connection's event
 * loop. An embedded loop is not thread-safe, so the control thread is held while the request is read and released
 * afterwards; once it has run everything queued, the answer waits on the embedded loop and is written from this
 * thread.
 */
final class AdminClient implements AutoCloseable {
    private final HostControl control;
    private final EmbeddedChannel server;
    private final EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec(),
            new HttpObjectAggregator(1 << 22));

    /** A connection that {@code limit} admits (or refuses: it is closed at once) among the others it keeps. */
    AdminClient(ApiRoutes routes, ConnectionLimit limit, HostControl control) {
        this.control = control;
        this.server = new EmbeddedChannel(new AdminInitializer(routes, limit));
    }

    /** What came back. */
    record Answer(int status, HttpHeaders headers, String body) {
        String contentType() {
            return headers.get(HttpHeaderNames.CONTENT_TYPE);
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        /** The error message of a JSON error answer. */
        String error() {
            return json().path("error").asText();
        }

        /** The field a JSON error answer names, or null. */
        String field() {
            JsonNode f = json().get("field");
            return f == null ? null : f.asText();
        }
    }

    Answer get(String uri) {
        return send(HttpMethod.GET, uri, null);
    }

    Answer send(HttpMethod method, String uri, String body, String... headers) {
        FullHttpRequest req = request(method, uri, body);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            req.headers().set(headers[i], headers[i + 1]);
        }
        return send(req);
    }

    static FullHttpRequest request(HttpMethod method, String uri, String body) {
        ByteBuf content = body == null ? Unpooled.buffer(0) : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, content);
        req.headers().set(HttpHeaderNames.HOST, "localhost");
        if (body != null) {
            HttpUtil.setContentLength(req, content.readableBytes());
        }
        return req;
    }

    /** Sends a request (this takes it) and returns the answer. */
    Answer send(FullHttpRequest req) {
        client.writeOutbound(req);
        return exchange(client);
    }

    /** Sends bytes that the client codec would not write (malformed HTTP); returns the answer. */
    Answer sendRaw(String bytes) {
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 22));
        try {
            decoder.writeOutbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
            return exchange(decoder);
        } finally {
            decoder.finishAndReleaseAll();
        }
    }

    /**
     * Writes bytes to the server as a client would (a request, or only its start) and returns without an answer;
     * {@link #answer()} reads it. A change's answer comes from the control thread: the caller holds that thread
     * while the bytes are written (as {@link #send} does), since an embedded loop is not thread-safe.
     */
    void write(String bytes) {
        server.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    }

    /** The answer to what {@link #write} sent, once the control thread has finished with it. */
    Answer answer() {
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 22));
        try {
            return answer(decoder);
        } finally {
            decoder.finishAndReleaseAll();
        }
    }

    /** Whether the server kept the connection open. */
    boolean open() {
        return server.isOpen();
    }

    private Answer exchange(EmbeddedChannel peer) {
        CountDownLatch gate = new CountDownLatch(1);
        control.executor().execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            for (Object out; (out = peer.readOutbound()) != null; ) {
                if (server.isOpen()) {
                    server.writeInbound(out);
                } else {
                    ReferenceCountUtil.release(out); // the rest of a request the server refused and closed on
                }
            }
        } finally {
            gate.countDown();
        }
        return answer(peer);
    }

    private Answer answer(EmbeddedChannel peer) {
        try {
            control.executor().submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("the control thread did not finish the request", e);
        }
        server.runPendingTasks();
        for (Object out; (out = server.readOutbound()) != null; ) {
            peer.writeInbound(out);
        }
        FullHttpResponse res = peer.readInbound();
        while (res != null && res.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            res.release(); // 100 Continue, before the answer
            res = peer.readInbound();
        }
        assertNotNull(res, "no answer");
        try {
            return new Answer(res.status().code(), res.headers().copy(), res.content().toString(StandardCharsets.UTF_8));
        } finally {
            res.release();
        }
    }

    @Override
    public void close() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }
}
