/**
 * Drills: what tunecho measures of the monitoring that watches its hosts. The alerts it receives
 * ({@link io.tunecho.drill.Alerts}: Alertmanager's webhook or a small JSON form, each an
 * {@link io.tunecho.drill.AlertNotice} matched to the answered addresses written whole in its labels), and the
 * scenarios that break hosts on a schedule and decide, from the probes and the alerts, whether the monitoring noticed
 * in time. Sits between the control layer and the HTTP server: it may use {@code io.tunecho.config},
 * {@code io.tunecho.control}, {@code io.tunecho.wire} and the responder's packages ({@code io.tunecho.hosts}, ...),
 * never {@code io.tunecho.http} or {@code io.tunecho.app}.
 */
package io.tunecho.drill;
