/**
 * The server's configuration: every setting defined once ({@link io.tunecho.config.Settings}, the host settings'
 * keys), the YAML file and the command line read into one {@link io.tunecho.config.TunechoConfig}, and errors that
 * name the file, line and fix. May use the responder's host model and the transport's value types; {@code control},
 * {@code http} and {@code app} use it, never the reverse.
 */
package io.tunecho.config;
