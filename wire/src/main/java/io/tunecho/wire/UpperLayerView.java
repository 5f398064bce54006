package io.tunecho.wire;

import io.netty.buffer.ByteBuf;

/**
 * What the views of an IP packet's payload share: where the payload lies (placed only by the subclass's
 * {@code wrapPayloadOf}, so an IP offset cannot be mistaken for the payload's) and its checksum, over the payload and
 * the pseudo-header where the protocol includes one. A view is reused from packet to packet; it allocates nothing.
 */
public abstract class UpperLayerView {
    IpPacket ip;
    ByteBuf buf;
    int off;
    int length;
    private final int checksumField;

    /** @param checksumField the checksum's offset from the start of the payload */
    UpperLayerView(int checksumField) {
        this.checksumField = checksumField;
    }

    /** Views the upper-layer payload of {@code ip}. */
    final void wrap(IpPacket ip) {
        this.ip = ip;
        this.buf = ip.buffer();
        this.off = ip.upperLayerOffset();
        this.length = ip.upperLayerLength();
    }

    /** The sum the checksum starts from: the pseudo-header's, or 0 where the protocol has none. */
    abstract long pseudoHeaderSum();

    /** Whether the checksum is right, over the pseudo-header (if any) and the whole payload. */
    public final boolean isChecksumValid() {
        return InternetChecksum.isValidSum(InternetChecksum.accumulate(pseudoHeaderSum(), buf, off, length));
    }

    /** Computes and stores the checksum over the pseudo-header (if any) and the whole payload. */
    public final void fillChecksum() {
        setChecksum(0);
        setChecksum(InternetChecksum.finish(InternetChecksum.accumulate(pseudoHeaderSum(), buf, off, length)));
    }

    public final int checksum() {
        return buf.getUnsignedShort(off + checksumField);
    }

    public final void setChecksum(int checksum) {
        buf.setShort(off + checksumField, checksum);
    }

    /** The index of the payload's first byte. */
    public final int offset() {
        return off;
    }

    /** The payload's length in bytes, header included. */
    public final int length() {
        return length;
    }
}
