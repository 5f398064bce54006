/**
 * The HTTP server on an event loop of its own (Netty's HTTP codec): Prometheus metrics through Micrometer, a health
 * check, the JSON admin API over {@link io.tunecho.control.HostControl}, packet capture control, and the lab page.
 * No request waits on the packet path, and no packet waits on a request: the packet event loops are never touched
 * here, counters are read when scraped, and changes of the hosts run on the control thread.
 */
package io.tunecho.http;
