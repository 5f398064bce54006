package io.tunecho.device;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct ifreq} (x86-64 and arm64: 40 bytes) as a byte array: the interface name in bytes 0..15,
 * NUL-terminated, and a union at offset 16 that holds flags (short), an MTU or index (int) or a
 * {@code struct sockaddr_in}. The kernel copies the whole struct in both directions, so it is always 40 bytes.
 */
final class IfReq {
    static final int SIZE = 40;
    static final int NAME_SIZE = 16; // IFNAMSIZ, including the NUL
    static final int UNION = 16;

    private final byte[] bytes = new byte[SIZE];
    private final ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());

    IfReq(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length >= NAME_SIZE) {
            throw new IllegalArgumentException("interface name longer than 15 bytes: " + name);
        }
        System.arraycopy(n, 0, bytes, 0, n.length);
    }

    byte[] bytes() {
        return bytes;
    }

    /** The name, as the kernel may have rewritten it (TUNSETIFF with an empty or pattern name). */
    String name() {
        int len = 0;
        while (len < NAME_SIZE && bytes[len] != 0) {
            len++;
        }
        return new String(bytes, 0, len, StandardCharsets.US_ASCII);
    }

    short flags() {
        return view.getShort(UNION);
    }

    IfReq flags(int flags) {
        view.putShort(UNION, (short) flags);
        return this;
    }

    int intValue() {
        return view.getInt(UNION);
    }

    IfReq intValue(int value) {
        view.putInt(UNION, value);
        return this;
    }

    /** Stores a {@code struct sockaddr_in}: family (native short), port 0, the address in network byte order. */
    IfReq ipv4(int address) {
        view.putShort(UNION, (short) LibC.AF_INET);
        view.putShort(UNION + 2, (short) 0);
        bytes[UNION + 4] = (byte) (address >>> 24);
        bytes[UNION + 5] = (byte) (address >>> 16);
        bytes[UNION + 6] = (byte) (address >>> 8);
        bytes[UNION + 7] = (byte) address;
        return this;
    }

    int ipv4() {
        return (bytes[UNION + 4] & 0xFF) << 24 | (bytes[UNION + 5] & 0xFF) << 16
                | (bytes[UNION + 6] & 0xFF) << 8 | (bytes[UNION + 7] & 0xFF);
    }
}
