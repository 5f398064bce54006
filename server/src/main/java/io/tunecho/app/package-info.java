/** The tunecho server: configuration, command line and main. */
package io.tunecho.app;
