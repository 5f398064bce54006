/**
 * Channel handlers that decide what to answer: they see packets as {@code ByteBuf}s and know nothing about
 * file descriptors or devices.
 */
package io.tunecho.handler;
