/**
 * Opening and configuring TUN devices: the only code in tunecho that calls libc (through jnr-posix and jnr-ffi).
 */
package io.tunecho.device;
