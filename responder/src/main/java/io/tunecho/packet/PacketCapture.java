package io.tunecho.packet;

import io.netty.buffer.ByteBuf;

/**
 * Where {@link CaptureStage} hands the packets it sees while a capture runs. The implementation copies what it
 * keeps: the buffer belongs to the pipeline and is reused or released right after the call. It must never block.
 */
public interface PacketCapture {
    /** Whether a capture runs now (read for every packet: keep it a plain volatile read). */
    boolean active();

    /** One packet, read ({@code inbound}) or written, from its reader index to its writer index. */
    void record(ByteBuf packet, boolean inbound);

    /**
     * Calls {@code listener} after every start and stop of a capture from now on, on the thread that started or
     * stopped it: the pipelines put {@link CaptureStage} in only while a capture runs.
     */
    void onChange(Runnable listener);
}
