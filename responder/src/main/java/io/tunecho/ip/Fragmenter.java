package io.tunecho.ip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.PromiseCombiner;
import io.tunecho.wire.Ipv4Fragments;
import io.tunecho.wire.Ipv4Packet;
import io.tunecho.wire.Ipv6ExtensionHeaders;
import io.tunecho.wire.Ipv6FragmentHeader;
import io.tunecho.wire.Ipv6Packet;
import io.tunecho.wire.Mtu;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An outbound stage: cuts every packet written through it that is larger than the interface's MTU into fragments,
 * as a host's IP layer does before a packet leaves (the TUN device takes one packet per write, and the kernel would
 * not fragment what a TUN delivers). Packets within the MTU pass untouched, at the cost of one length check. A
 * packet that is neither a valid IPv4 header nor a valid IPv6 one (or that already carries a fragment header) is
 * written as it is. Fragments are written in order, each as its own buffer, without flushing.
 *
 * <p>Buffers: the packet becomes the first IPv4 fragment, its header rewritten in place, when nothing else holds it
 * (a duplicated reply shares its memory: then the first fragment is copied too), or is released once its fragments
 * are made. Every other fragment is copied, header and data, into a direct buffer of its size: a TUN channel writes
 * one contiguous region per packet, so a fragment made of a header and a slice of the packet would be copied by the
 * channel anyway. Each fragment belongs to the channel that writes it.
 */
public final class Fragmenter extends ChannelOutboundHandlerAdapter {
    private final int mtu;
    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final Ipv4Packet fragmentIpv4 = new Ipv4Packet();
    private final Ipv6Packet ipv6 = new Ipv6Packet();
    private final Ipv6Packet fragmentIpv6 = new Ipv6Packet();
    private final List<ByteBuf> fragments = new ArrayList<>();
    private int ipv4Identification;
    private int ipv6Identification;

    /**
     * @param mtu    the largest packet the interface takes, in bytes
     * @param random where the first identifications come from
     */
    public Fragmenter(int mtu, RandomGenerator random) {
        if (mtu < Mtu.MIN) {
            throw new IllegalArgumentException("the MTU must be at least " + Mtu.MIN + ": " + mtu);
        }
        this.mtu = mtu;
        this.ipv4Identification = random.nextInt();
        this.ipv6Identification = random.nextInt();
    }

    public int mtu() {
        return mtu;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf) || ((ByteBuf) msg).readableBytes() <= mtu) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf packet = (ByteBuf) msg;
        int version = packet.getUnsignedByte(packet.readerIndex()) >> 4;
        boolean cut;
        try {
            cut = version == Ipv4Packet.VERSION ? cutIpv4(ctx.alloc(), packet)
                    : version == Ipv6Packet.VERSION && cutIpv6(ctx.alloc(), packet);
        } catch (RuntimeException | Error e) {
            releaseFragments();
            packet.release();
            throw e;
        }
        if (!cut) {
            ctx.write(packet, promise);
            return;
        }
        writeFragments(ctx, promise);
    }

    /**
     * Cuts an IPv4 packet into {@link #fragments} (RFC 791 3.2): DF cleared, a fresh identification for the datagram,
     * data in multiples of 8 bytes, MF on all but the last, a header checksum per fragment; fragments after the first
     * keep only the options whose copied flag is set (the others become No Operation, as Linux does, so that every
     * header has the same length). Returns false (and keeps nothing) if it is not one to cut.
     */
    private boolean cutIpv4(ByteBufAllocator alloc, ByteBuf packet) {
        Ipv4Packet ip = ipv4.wrap(packet);
        if (ip.check() != null || ip.totalLength() <= mtu) {
            return false;
        }
        int start = packet.readerIndex();
        int headerLength = ip.headerLength();
        int dataLength = ip.totalLength() - headerLength;
        int perFragment = Ipv4Fragments.dataPerFragment(mtu, headerLength);
        int identification = ipv4Identification++ & 0xFFFF;
        boolean inPlace = packet.refCnt() == 1;
        if (!inPlace) {
            ByteBuf first = alloc.directBuffer(headerLength + perFragment, headerLength + perFragment);
            first.writeBytes(packet, start, headerLength + perFragment);
            setIpv4FragmentFields(fragmentIpv4.wrap(first, 0), headerLength + perFragment, 0, true, identification);
            fragments.add(first);
        }
        for (int offset = perFragment; offset < dataLength; offset += perFragment) {
            int length = Math.min(perFragment, dataLength - offset);
            ByteBuf fragment = alloc.directBuffer(headerLength + length, headerLength + length);
            Ipv4Fragments.writeLaterHeader(packet, start, fragment);
            fragment.writeBytes(packet, start + headerLength + offset, length);
            setIpv4FragmentFields(fragmentIpv4.wrap(fragment, 0), headerLength + length, offset,
                    offset + length < dataLength, identification);
            fragments.add(fragment);
        }
        if (inPlace) {
            setIpv4FragmentFields(ip, headerLength + perFragment, 0, true, identification);
            packet.writerIndex(start + headerLength + perFragment);
            fragments.add(0, packet);
        } else {
            packet.release();
        }
        return true;
    }

    private static void setIpv4FragmentFields(Ipv4Packet ip, int totalLength, int offset, boolean more,
            int identification) {
        ip.setTotalLength(totalLength);
        ip.setIdentification(identification);
        ip.setFlagsAndFragmentOffset((more ? Ipv4Packet.FLAG_MF : 0) | offset >> 3);
        ip.fillChecksum();
    }

    /**
     * Cuts an IPv6 packet into {@link #fragments} (RFC 8200 4.5): the unfragmentable part (the fixed header, and a
     * hop-by-hop or routing header) in every fragment, then a fragment header with a fresh identification, then the
     * fragment's share of the rest. Returns false (and keeps nothing) if it is not one to cut.
     */
    private boolean cutIpv6(ByteBufAllocator alloc, ByteBuf packet) {
        Ipv6Packet ip = ipv6.wrap(packet);
        if (ip.check() != null || Ipv6Packet.HEADER_LENGTH + ip.payloadLength() <= mtu) {
            return false;
        }
        int unfragmentable = Ipv6ExtensionHeaders.unfragmentableLength(ip);
        int perFragment = (mtu - unfragmentable - Ipv6FragmentHeader.LENGTH) & ~7;
        if (unfragmentable < 0 || perFragment <= 0) {
            return false; // fragmented already, or headers that leave no room in the MTU
        }
        int start = packet.readerIndex();
        int dataLength = Ipv6Packet.HEADER_LENGTH + ip.payloadLength() - unfragmentable;
        int nextHeaderField = Ipv6ExtensionHeaders.nextHeaderFieldOf(ip, start + unfragmentable) - start;
        int firstNextHeader = packet.getUnsignedByte(start + nextHeaderField);
        int identification = ipv6Identification++;
        int headerLength = unfragmentable + Ipv6FragmentHeader.LENGTH;
        for (int offset = 0; offset < dataLength; offset += perFragment) {
            int length = Math.min(perFragment, dataLength - offset);
            ByteBuf fragment = alloc.directBuffer(headerLength + length, headerLength + length);
            fragment.writeBytes(packet, start, unfragmentable);
            fragmentIpv6.wrap(fragment, 0).setPayloadLength(headerLength - Ipv6Packet.HEADER_LENGTH + length);
            fragment.setByte(nextHeaderField, Ipv6Packet.FRAGMENT);
            Ipv6FragmentHeader.set(fragment, unfragmentable, firstNextHeader, offset, offset + length < dataLength,
                    identification);
            fragment.writerIndex(headerLength).writeBytes(packet, start + unfragmentable + offset, length);
            fragments.add(fragment);
        }
        packet.release();
        return true;
    }

    private void writeFragments(ChannelHandlerContext ctx, ChannelPromise promise) {
        List<ByteBuf> out = fragments;
        if (promise.isVoid()) {
            for (int i = 0; i < out.size(); i++) {
                ctx.write(out.get(i), promise);
            }
        } else {
            PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
            for (int i = 0; i < out.size(); i++) {
                combiner.add(ctx.write(out.get(i)));
            }
            combiner.finish(promise);
        }
        out.clear();
    }

    private void releaseFragments() {
        for (ByteBuf f : fragments) {
            f.release();
        }
        fragments.clear();
    }
}
