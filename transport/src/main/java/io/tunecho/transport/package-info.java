/**
 * A Netty transport over a Linux TUN device: {@link io.tunecho.transport.TunChannel} (epoll) and
 * {@link io.tunecho.transport.IoUringTunChannel} (io_uring), with their config, options and address. Each message is
 * one IP packet in a {@code ByteBuf}; the transport knows nothing about what is inside. May use {@code device} and
 * {@code wire}'s addresses.
 */
package io.tunecho.transport;
