package io.tunecho.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tunecho.drill.ScenarioRunner;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code GET /api/scenario}: where the scenario stands, each step and each expectation's result so far;
 * {@code POST /api/scenario/restart}: starts it over (the steps in force reverted first). 404 without a scenario.
 * Both run on the control thread, where the scenario runs: the HTTP loop never waits for a host table to be built.
 */
final class ScenarioRoutes {
    static final String PATH = "scenario";
    private static final String RESTART = PATH + "/restart";

    private final ScenarioRunner runner;
    private final Executor control;

    ScenarioRoutes(ScenarioRunner runner, Executor control) {
        this.runner = runner;
        this.control = control;
    }

    /** Whether {@code rest} (the path after {@code /api/}) is one of these routes. */
    static boolean handles(String rest) {
        return rest.equals(PATH) || rest.startsWith(PATH + "/");
    }

    CompletableFuture<Response> handle(HttpMethod method, String rest) {
        if (runner == null) {
            return CompletableFuture.completedFuture(Response.error(HttpResponseStatus.NOT_FOUND, "no scenario runs: "
                    + "configure one (scenario: in the config file, or --scenario FILE)", null));
        }
        if (rest.equals(PATH)) {
            if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
                return notAllowed();
            }
            return CompletableFuture.supplyAsync(() -> Response.json(HttpResponseStatus.OK, runner.status()), control);
        }
        if (rest.equals(RESTART)) {
            if (!method.equals(HttpMethod.POST)) {
                return notAllowed();
            }
            return CompletableFuture.supplyAsync(() -> {
                runner.restart();
                return Response.json(HttpResponseStatus.OK, runner.status());
            }, control);
        }
        return CompletableFuture.completedFuture(Response.error(HttpResponseStatus.NOT_FOUND, "no such path: /api/"
                + rest, null));
    }

    private static CompletableFuture<Response> notAllowed() {
        return CompletableFuture.completedFuture(Response.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                "method not allowed here", null));
    }
}
