package io.tunecho.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.HostTable;
import io.tunecho.ip.Fragmenter;
import io.tunecho.packet.PacketCounters;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.IpCidr;
import io.tunecho.wire.Ipv4Packet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A ping larger than the MTU through the answering pipeline, as the server runs it (MTU 1500): the request's
 * fragments in (each copied into a pooled direct buffer of the MTU, as the device read does), reassembly, the echo
 * reply built in place, the reply's fragments out. The sink does what the TUN channel's write path does with each
 * fragment: a buffer that is not one contiguous native region is copied into one. ns per datagram, and with
 * {@code -prof gc} bytes allocated per datagram. Run with
 * {@code ./mvnw -Pbench -q test-compile exec:exec -Djmh.args="LargePing -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class LargePingBenchmark {
    private static final int MTU = 1500;

    /** ICMP data bytes: {@code ping -s}. */
    @Param({"8000", "65507"})
    public int size;

    private final List<byte[]> fragments = new ArrayList<>();
    private EmbeddedChannel channel;
    private ChannelPipeline pipeline;
    private final Sink sink = new Sink();

    /** Takes what the pipeline writes, as the TUN channel's write path would, and counts it. */
    static final class Sink extends ChannelOutboundHandlerAdapter {
        int written;
        int copied;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ByteBuf buf = (ByteBuf) msg;
            if (!(buf.hasMemoryAddress() && buf.nioBufferCount() == 1)) {
                ByteBuf direct = ctx.alloc().directBuffer(buf.readableBytes());
                direct.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
                buf.release();
                buf = direct;
                copied++;
            }
            written++;
            buf.release();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
        }
    }

    @Setup
    public void setUp() {
        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        int length = Ipv4Packet.MIN_HEADER_LENGTH + IcmpMessage.HEADER_LENGTH + size;
        ByteBuf request = alloc.directBuffer(length);
        request.writeShort(0x4500).writeShort(length).writeInt(0x12340000).writeShort(0x4001).writeShort(0)
                .writeInt(0xC6120001).writeInt(0xC6120002);
        request.writeInt(0x08000000).writeInt(0x00010001);
        for (int i = 0; i < size; i++) {
            request.writeByte(i);
        }
        Ipv4Packet ip = new Ipv4Packet().wrap(request);
        ip.fillChecksum();
        new IcmpMessage().wrapPayloadOf(ip).fillChecksum();
        // the request's fragments, as the kernel cuts it for an MTU of 1500
        EmbeddedChannel cutter = new EmbeddedChannel(new Fragmenter(MTU, new SplittableRandom(1)));
        cutter.writeOutbound(request);
        for (ByteBuf f; (f = cutter.readOutbound()) != null; ) {
            byte[] b = new byte[f.readableBytes()];
            f.getBytes(f.readerIndex(), b);
            fragments.add(b);
            f.release();
        }
        cutter.finishAndReleaseAll();
        PacketCounters counters = new PacketCounters();
        HostTable hosts = HostTable.forInterface(IpCidr.parse("198.18.0.1/24"), List.of());
        channel = new EmbeddedChannel(sink);
        ResponderPipeline.builder(counters, () -> hosts).mtu(MTU).build().addTo(channel.pipeline());
        pipeline = channel.pipeline();
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int datagram() {
        ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        for (byte[] f : fragments) {
            ByteBuf b = alloc.directBuffer(MTU);
            b.writeBytes(f);
            pipeline.fireChannelRead(b);
        }
        pipeline.fireChannelReadComplete();
        int n = sink.written;
        sink.written = 0;
        if (n != fragments.size()) {
            throw new IllegalStateException(n + " reply fragments for " + fragments.size());
        }
        return n;
    }
}
