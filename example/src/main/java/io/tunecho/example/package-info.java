/** An application that embeds tunecho's transport alone: {@link io.tunecho.example.PingAnswerer}. */
package io.tunecho.example;
