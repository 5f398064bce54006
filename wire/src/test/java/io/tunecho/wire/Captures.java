package io.tunecho.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Packets Linux sent into a TUN (MTU 1500), stored one hex line per packet under {@code testkit/src/main/resources/captures}:
 * {@code ping -s 8000 198.18.0.2} ({@code ping-s8000.hex}) and {@code ping -6 -s 8000 fd00:198:18::2}
 * ({@code ping6-s8000.hex}), six fragments each, as iputils 20221126 on Linux 6.18 sent them.
 */
final class Captures {
    static final String PING_S8000 = "captures/ping-s8000.hex";
    static final String PING6_S8000 = "captures/ping6-s8000.hex";

    private Captures() {
    }

    /** The packets of a capture, each in a direct buffer of its own (the caller releases them). */
    static List<ByteBuf> load(String resource) {
        try (InputStream in = Captures.class.getClassLoader().getResourceAsStream(resource)) {
            List<ByteBuf> packets = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank()) {
                    packets.add(Unpooled.directBuffer().writeBytes(ByteBufUtil.decodeHexDump(line.trim())));
                }
            }
            return packets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
