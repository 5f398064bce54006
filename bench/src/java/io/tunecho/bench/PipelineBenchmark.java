package io.tunecho.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostSetting;
import io.tunecho.hosts.HostSettings;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.PortSet;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.packet.PacketCounters;
import io.tunecho.responder.ResponderPipeline;
import io.tunecho.wire.IpCidr;
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

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The answering pipeline, as {@link ResponderPipeline} builds it for the server (probes tracked), on a real echo
 * request as Linux {@code ping} sends it (captured from a TUN): ns per packet, and with {@code -prof gc} the bytes
 * allocated per packet. Each operation copies the request into the same pooled direct buffer (what the device read
 * does), runs it through the pipeline, and takes the reply out. With {@code -p burst=16} an operation is a read burst
 * of 16 packets, then one {@code channelReadComplete}, as a W64 flood is read (divide the time by 16).
 * Run with {@code ./mvnw -Pbench -q test-compile exec:exec -Djmh.args="-prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class PipelineBenchmark {
    /** {@code ping 198.18.0.2}: 84 bytes, 56 of them payload. */
    static final String ECHO_REQUEST = "45000054cdc640004001e0bac6120001c6120002080002131950000159fc056b00000000"
            + "b1610d0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    /** The kernel's router solicitation: dropped by the first handler. */
    static final String IPV6_ROUTER_SOLICITATION = "6000000000083afffe80000000000000f7a813c7f6600bb8ff02000000000"
            + "000000000000000000285006fae00000000";

    /**
     * {@code nc -z 198.18.0.2 22} as Linux sends it: answered with RST (a closed port), or with SYN-ACK and its SYN
     * cookie when the default profile opens port 22.
     */
    static final String TCP_SYN = "4500003cee0f40004006c084c6120001c6120002a09a00165663650200000000a002faf0a957"
            + "0000020405b40402080ac5d0f5a5000000000103030a";

    @Param({"echo", "ipv6", "tcp-rst", "tcp-synack"})
    public String packet;

    /** Packets per {@code channelReadComplete}: one (a ping at a time) or a flood's burst. */
    @Param({"1"})
    public int burst;

    private byte[] template;
    private ByteBuf buf;
    private EmbeddedChannel channel;
    private final Sink sink = new Sink();

    /**
     * Takes the replies where the channel would write them, so that what is measured is tunecho's handlers: on a
     * JMH thread (no FastThreadLocalThread) Netty's outbound buffer would allocate an entry per write, which it
     * recycles on an event loop.
     */
    static final class Sink extends ChannelOutboundHandlerAdapter {
        ByteBuf written;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            written = (ByteBuf) msg;
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
        }
    }
    private ChannelPipeline pipeline;

    @Setup
    public void setUp() {
        template = ByteBufUtil.decodeHexDump(packet.equals("echo") ? ECHO_REQUEST
                : packet.startsWith("tcp") ? TCP_SYN : IPV6_ROUTER_SOLICITATION);
        PacketCounters counters = new PacketCounters();
        Map<String, HostSettings> profiles = packet.equals("tcp-synack")
                ? Map.of(HostConfig.DEFAULT_PROFILE, HostSettings.of(HostSetting.TCP, PortSet.of(22))) : Map.of();
        HostTable hosts = HostTable.build(new HostConfig(IpCidr.parse("198.18.0.1/24"), List.of(), profiles,
                List.of()), null, Clock.SYSTEM);
        channel = new EmbeddedChannel(sink);
        ResponderPipeline.builder(counters, () -> hosts)
                .probes(new ProbeTable(ProbeTable.DEFAULT_MAX_ADDRESSES, Clock.SYSTEM)).build()
                .addTo(channel.pipeline());
        pipeline = channel.pipeline();
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
    }

    @TearDown
    public void tearDown() {
        buf.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public Object packet() {
        ByteBuf reply = null;
        for (int i = 0; i < burst; i++) {
            ByteBuf b = buf;
            b.clear().writeBytes(template);
            b.retain(); // the pipeline consumes one reference: released when dropped, or by us below when answered
            pipeline.fireChannelRead(b);
            reply = sink.written;
            sink.written = null;
            if (reply != null) {
                reply.release();
            }
        }
        pipeline.fireChannelReadComplete();
        return reply;
    }
}
