/**
 * What every stage of the answering pipeline shares: {@link io.tunecho.packet.PacketHandler} (a stage, alone or in a
 * chain), {@link io.tunecho.packet.PacketContext} (the packet as the stages understood it so far), the counters of
 * what was sent and dropped ({@link io.tunecho.packet.PacketCounters}, one {@link io.tunecho.packet.DropReason} per
 * cause), and the capture tap. May use {@code wire} and {@code hosts}; the IP layer, the protocols and the hosts'
 * policy build on it.
 */
package io.tunecho.packet;
