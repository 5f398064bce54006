/**
 * A Netty transport over a Linux TUN device: {@link io.tunecho.transport.TunChannel} and its config, options and
 * address. Each message is one IP packet in a {@code ByteBuf}; the transport knows nothing about what is inside.
 */
package io.tunecho.transport;
