/**
 * Changing the virtual hosts while tunecho runs, and recording what changed: {@link io.tunecho.control.HostControl}
 * applies a reloaded configuration (when the {@link io.tunecho.control.ReloadGate} lets it through) and the admin
 * API's overrides (with their expiry) to the host table the pipelines read, on a control thread of its own, and
 * routes new prefixes through {@link io.tunecho.control.KernelRoutes}; {@link io.tunecho.control.EventLog} keeps the
 * recent changes of host behaviour (from the config, a reload, the API, a timeline, an expiry), logs each and may
 * append it to a JSON-lines file. Above {@code hosts} and the settings; below the HTTP server and the application.
 */
package io.tunecho.control;
