package io.tunecho.http;

import io.tunecho.hosts.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the server is full, a new connection closes the one idle longest, never one with a request in progress (from
 * its first bytes to its answer, a 100 Continue being no answer), and the closings are counted in the metrics; when
 * every connection has a request in progress, the new one is refused. A limit of three, on a clock the test moves.
 */
class ConnectionLimitTest {
    private static final String CHANGE = "PUT /api/hosts/198.18.0.70 HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: application/json\r\nContent-Length: 11\r\n";
    private static final String CHANGE_BODY = "{\"ttl\": 99}";

    private final AdminFixture fixture = new AdminFixture();
    private final ManualClock clock = new ManualClock();
    private final ConnectionLimit limit = new ConnectionLimit(3, clock);
    private final ApiRoutes routes = new ApiRoutes(fixture.context, null, false, limit);
    private final List<AdminClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(AdminClient::close);
        fixture.close();
    }

    /** A new connection, a second after whatever happened before. */
    private AdminClient open() {
        clock.advance(1, TimeUnit.SECONDS);
        AdminClient c = new AdminClient(routes, limit, fixture.control);
        clients.add(c);
        return c;
    }

    private void later() {
        clock.advance(1, TimeUnit.SECONDS);
    }

    /** Holds the control thread, where changes are answered, until released. */
    private CountDownLatch holdControl() {
        CountDownLatch gate = new CountDownLatch(1);
        fixture.control.executor().execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return gate;
    }

    @Test
    void theLongestIdleIsClosedForANewConnectionAndCounted() {
        AdminClient a = open();
        AdminClient b = open();
        AdminClient c = open();
        later();
        assertEquals(200, a.get("/api/hosts").status(), "a is now the most recently active");
        AdminClient d = open();
        assertFalse(b.open(), "b was idle longest");
        assertTrue(a.open());
        assertTrue(c.open());
        assertEquals(1, limit.evicted());
        assertEquals(3, limit.open());
        AdminClient.Answer metrics = d.get("/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("\ntunecho_http_connections_evicted_total 1.0\n"), metrics.body());
        open();
        assertFalse(c.open(), "then c");
        assertTrue(a.open());
        assertTrue(d.open());
        assertEquals(2, limit.evicted());
    }

    @Test
    void aConnectionClosedMakesRoomWithoutAnEviction() {
        open();
        AdminClient b = open();
        AdminClient c = open();
        b.close();
        AdminClient d = open();
        assertTrue(d.open());
        assertTrue(c.open());
        assertEquals(0, limit.evicted());
        assertEquals(3, limit.open());
    }

    @Test
    void aRequestWhoseFirstBytesHaveComeIsNotClosed() {
        AdminClient a = open();
        a.write("GET /api/hosts HT");
        AdminClient b = open();
        open();
        open();
        assertTrue(a.open(), "a was idle longest, but its request has begun");
        assertFalse(b.open());
        a.write("TP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, a.answer().status());
    }

    @Test
    void aRequestAwaitingItsAnswerIsNotClosed() {
        AdminClient a = open();
        CountDownLatch control = holdControl();
        try {
            a.write(CHANGE + "\r\n" + CHANGE_BODY);
            AdminClient b = open();
            open();
            open();
            assertTrue(a.open(), "a was idle longest, but its request awaits its answer");
            assertFalse(b.open());
        } finally {
            control.countDown();
        }
        AdminClient.Answer answer = a.answer();
        assertEquals(200, answer.status(), answer.body());
        assertEquals(1, limit.evicted());
        for (AdminClient other : clients.subList(2, 4)) {
            other.write("GET /api/ho");
        }
        open();
        assertFalse(a.open(), "answered, a is the only idle connection");
        assertEquals(2, limit.evicted());
    }

    @Test
    void aHundredContinueDoesNotEndTheRequest() {
        AdminClient a = open();
        CountDownLatch control = holdControl();
        try {
            a.write(CHANGE + "Expect: 100-continue\r\n\r\n");
            a.write(CHANGE_BODY);
            AdminClient b = open();
            open();
            open();
            assertTrue(a.open(), "a had 100 Continue, not its answer");
            assertFalse(b.open());
        } finally {
            control.countDown();
        }
        assertEquals(200, a.answer().status());
    }

    @Test
    void whenEveryConnectionHasARequestInProgressTheNewOneIsRefused() {
        AdminClient a = open();
        AdminClient b = open();
        AdminClient c = open();
        a.write("GET /api/ho");
        b.write("GET /api/ho");
        c.write("GET /api/ho");
        AdminClient d = open();
        assertFalse(d.open(), "refused");
        assertTrue(a.open() && b.open() && c.open());
        assertEquals(0, limit.evicted());
        assertEquals(3, limit.open());
        b.write("sts HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, b.answer().status());
        AdminClient e = open();
        assertTrue(e.open(), "b, answered, made room");
        assertFalse(b.open());
        assertTrue(a.open() && c.open());
        assertEquals(1, limit.evicted());
    }
}
