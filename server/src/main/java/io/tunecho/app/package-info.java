/**
 * The tunecho server application: {@link io.tunecho.app.Main} (command line, signals, exit codes),
 * {@link io.tunecho.app.TunechoServer} (channels, pipeline and control wired together, their life cycle), the
 * configuration check and the logging set-up. The top of the server: it may use every package, and none uses it.
 */
package io.tunecho.app;
