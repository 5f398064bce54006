/**
 * Drills: what tunecho measures of the monitoring that watches its hosts. The alerts it receives, matched to the
 * addresses they concern, and the scenarios that break hosts on a schedule and decide, from the probes and the
 * alerts, whether the monitoring noticed in time. Sits between the control layer and the HTTP server: it may use
 * {@code io.tunecho.config}, {@code io.tunecho.control} and the responder's packages, never {@code io.tunecho.http}
 * or {@code io.tunecho.app}.
 */
package io.tunecho.drill;
