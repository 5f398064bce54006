package io.tunecho.packet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loggers of the packet path, all under one category, {@value #CATEGORY}: one logging setting turns the lines
 * logged per packet (every drop with its reason) on or off, whichever package a stage lives in.
 */
public final class PacketLog {
    /** The category of the packet path's lines: the package the stages shared once, which logging configs name. */
    public static final String CATEGORY = "io.tunecho.handler";

    private PacketLog() {
    }

    /** The logger of a stage: {@code io.tunecho.handler.Reassembler}, for instance. */
    public static Logger of(Class<?> stage) {
        return LoggerFactory.getLogger(CATEGORY + "." + stage.getSimpleName());
    }
}
