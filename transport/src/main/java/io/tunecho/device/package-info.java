/**
 * Opening and configuring TUN devices: the only code in tunecho that calls libc (through jnr-posix and jnr-ffi),
 * and the only place that knows file descriptors and ioctls. May use {@code wire}'s addresses; the transport builds
 * on it.
 */
package io.tunecho.device;
