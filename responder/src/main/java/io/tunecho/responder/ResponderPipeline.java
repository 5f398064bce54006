package io.tunecho.responder;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.tunecho.hosts.Clock;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ProbeTable;
import io.tunecho.ip.Fragmenter;
import io.tunecho.ip.IcmpErrorLimit;
import io.tunecho.ip.IpVersionDispatcher;
import io.tunecho.ip.Ipv4Validator;
import io.tunecho.ip.Ipv6Validator;
import io.tunecho.ip.Reassembler;
import io.tunecho.ip.ReassemblyLimits;
import io.tunecho.packet.CaptureStage;
import io.tunecho.packet.ErrorLogger;
import io.tunecho.packet.PacketCapture;
import io.tunecho.packet.PacketContext;
import io.tunecho.packet.PacketCounters;
import io.tunecho.packet.PacketHandler;
import io.tunecho.policy.HostLookup;
import io.tunecho.policy.ReplyShaper;
import io.tunecho.policy.UpHosts;
import io.tunecho.proto.IcmpEchoResponder;
import io.tunecho.proto.ProtocolDispatcher;
import io.tunecho.proto.ProtocolHandler;
import io.tunecho.proto.SynCookies;
import io.tunecho.proto.TcpResponder;
import io.tunecho.proto.UdpResponder;
import io.tunecho.wire.IcmpMessage;
import io.tunecho.wire.Mtu;
import io.tunecho.wire.TcpSegment;
import io.tunecho.wire.UdpDatagram;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The one place that builds the answering pipeline, for the server, the tests and the benchmarks alike. Its
 * handlers, by name, in pipeline order:
 * <ol>
 *   <li>{@value #CAPTURE}: {@link CaptureStage}, only while a capture of the {@link PacketCapture} given runs
 *       (put in and taken out as captures start and stop): every packet read and written, to the capture;</li>
 *   <li>{@value #REPLIES}: {@link ReplyShaper}, an outbound stage: the replies and ICMP errors written by the
 *       stages after it leave as their host's behaviour says (delay, jitter, duplicates, corruption), and then
 *       through its {@link Fragmenter} (what is larger than the MTU leaves in fragments);</li>
 *   <li>{@value #PACKETS}: the IP layer and the virtual hosts, stages in one handler ({@link PacketHandler#chain}):
 *       {@link IpVersionDispatcher} (IPv4 or IPv6), {@link Ipv4Validator}, {@link Ipv6Validator},
 *       {@link Reassembler} (fragments become whole datagrams), {@link HostLookup} (the host that answers the
 *       destination, and what it does now), then {@link ProtocolDispatcher}, one {@link ProtocolHandler} per
 *       protocol (ICMP and ICMPv6: {@link IcmpEchoResponder}; UDP: {@link UdpResponder}; TCP, IPv4 and IPv6:
 *       {@link TcpResponder});</li>
 *   <li>{@value #ERRORS}: {@link ErrorLogger}.</li>
 * </ol>
 * A packet meets the stages in the order listed. The stages of one handler call each other directly, they hand
 * their replies to the shaper by a call ({@link PacketContext.Output}), and the shaper calls the fragmenter, so that
 * an echo request and its reply make two trips through the pipeline (in, and out to the channel) rather than eight.
 * A handler of your own that must see the replies goes before {@value #REPLIES}. The reassembly's own ICMP errors carry no host, so
 * the shaper lets them through as they are ({@link PacketContext#writeIpError}).
 * Each channel gets stages of its own around one {@link PacketContext}, with its own random generator (seeded from
 * the pipeline's seed and the channel's number, so that a seed repeats the decisions); the counters and the host
 * table are shared by all channels.
 */
public final class ResponderPipeline {
    public static final String CAPTURE = "capture";
    public static final String REPLIES = "replies";
    public static final String PACKETS = "packets";
    public static final String ERRORS = "errors";

    private final PacketCounters counters;
    private final Supplier<HostTable> hosts;
    private final Clock clock;
    private final long seed;
    private final int maxDelayed;
    private final PacketCapture packetCapture;
    private final CaptureStage capture;
    /** The pipelines of open channels, where the capture stage goes while a capture runs. */
    private final Set<ChannelPipeline> capturable = ConcurrentHashMap.newKeySet();
    private final boolean ipv6;
    private final double limitPerChannel;
    private final double limitPerSource;
    /** One SYN-cookie key for all channels: a handshake's ACK may come back on another queue. */
    private final SynCookies.Key cookieKey = SynCookies.Key.random();
    private final int mtu;
    private final ReassemblyLimits reassembly;
    private final AtomicInteger channels = new AtomicInteger();
    private final UpHosts upHosts;
    private final ProbeTable probes;

    private ResponderPipeline(Builder b) {
        this.counters = b.counters;
        this.hosts = b.hosts;
        this.upHosts = new UpHosts(b.hosts);
        this.clock = b.clock;
        this.seed = b.seed;
        this.maxDelayed = b.maxDelayed;
        this.packetCapture = b.capture;
        this.capture = b.capture == null ? null : new CaptureStage(b.capture);
        if (b.capture != null) {
            b.capture.onChange(this::captureChanged);
        }
        this.ipv6 = b.ipv6;
        this.limitPerChannel = b.repliesPerSecond / b.queues;
        this.limitPerSource = b.repliesPerSource;
        this.mtu = b.mtu;
        this.reassembly = b.reassembly;
        this.probes = b.probes;
    }

    /**
     * @param counters where every stage counts
     * @param hosts    the host table, read for each packet (so that a new one takes effect at once)
     */
    public static Builder builder(PacketCounters counters, Supplier<HostTable> hosts) {
        return new Builder(counters, hosts);
    }

    /** Adds the stages to a channel's pipeline, after what is already there. */
    public void addTo(ChannelPipeline pipeline) {
        PacketContext packet = new PacketContext();
        SplittableRandom random = new SplittableRandom(seed + channels.getAndIncrement());
        IcmpErrorLimit errorLimit = new IcmpErrorLimit(clock);
        pipeline.addLast(REPLIES, new ReplyShaper(counters, packet, clock, random.split(), maxDelayed,
                        new Fragmenter(mtu, random.split())))
                .addLast(PACKETS, PacketHandler.chain(
                        new IpVersionDispatcher(counters, packet),
                        new Ipv4Validator(counters, packet, true),
                        new Ipv6Validator(counters, packet, ipv6, true),
                        new Reassembler(counters, packet, upHosts, clock, reassembly, errorLimit),
                        new HostLookup(counters, packet, hosts, clock, random.split(), errorLimit,
                                limitPerChannel, limitPerSource, probes),
                        protocols(packet, errorLimit)))
                .addLast(ERRORS, ErrorLogger.INSTANCE);
        if (capture != null) {
            capturable.add(pipeline);
            pipeline.channel().closeFuture().addListener(f -> capturable.remove(pipeline));
            placeCapture(pipeline);
        }
    }

    /** A capture started or stopped: each channel's event loop puts the capture stage in or takes it out. */
    private void captureChanged() {
        for (ChannelPipeline p : capturable) {
            p.channel().eventLoop().execute(() -> placeCapture(p));
        }
    }

    /** The capture stage goes first in the stages while a capture runs, and out when none does. */
    private void placeCapture(ChannelPipeline pipeline) {
        boolean in = pipeline.get(CAPTURE) != null;
        if (packetCapture.active() && !in) {
            pipeline.addBefore(REPLIES, CAPTURE, capture);
        } else if (!packetCapture.active() && in) {
            pipeline.remove(CAPTURE);
        }
    }

    /** The reassembly stage of a pipeline built here, or {@code null} when it has none. */
    public static Reassembler reassembler(ChannelPipeline pipeline) {
        for (PacketHandler h = (PacketHandler) pipeline.get(PACKETS); h != null; h = h.nextStage()) {
            if (h instanceof Reassembler) {
                return (Reassembler) h;
            }
        }
        return null;
    }

    /** The reply shaping stage of a pipeline built here, or {@code null} when it has none. */
    public static ReplyShaper replyShaper(ChannelPipeline pipeline) {
        return (ReplyShaper) pipeline.get(REPLIES);
    }

    /** The fragmenting stage of a pipeline built here (its reply shaper's), or {@code null} when it has none. */
    public static Fragmenter fragmenter(ChannelPipeline pipeline) {
        ReplyShaper shaper = replyShaper(pipeline);
        return shaper == null ? null : shaper.fragmenter();
    }

    /** The protocol handlers of one channel. */
    private ProtocolDispatcher protocols(PacketContext packet, IcmpErrorLimit errorLimit) {
        IcmpEchoResponder echo = new IcmpEchoResponder(clock);
        UdpResponder udp = new UdpResponder(errorLimit);
        TcpResponder tcp = new TcpResponder(new SynCookies(cookieKey, clock));
        return new ProtocolDispatcher(counters, packet,
                Map.of(IcmpMessage.PROTOCOL_V4, echo, UdpDatagram.PROTOCOL, udp, TcpSegment.PROTOCOL, tcp),
                Map.of(IcmpMessage.PROTOCOL_V6, echo, UdpDatagram.PROTOCOL, udp, TcpSegment.PROTOCOL, tcp));
    }

    /** A {@link ChannelInitializer} that adds the stages to each channel it initializes. */
    public ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                addTo(ch.pipeline());
            }
        };
    }

    /** Collects what the stages need; {@link #build()} makes the pipeline's blueprint. */
    public static final class Builder {
        /** The default of {@link #maxDelayed}. */
        public static final int DEFAULT_MAX_DELAYED = 10_000;
        /** The default of {@link #mtu}: 1500, the MTU tunecho gives its interface unless configured otherwise. */
        public static final int DEFAULT_MTU = 1500;

        private final PacketCounters counters;
        private final Supplier<HostTable> hosts;
        private Clock clock = Clock.SYSTEM;
        private long seed = ThreadLocalRandom.current().nextLong();
        private int maxDelayed = DEFAULT_MAX_DELAYED;
        private PacketCapture capture;
        private boolean ipv6 = true;
        private double repliesPerSecond;
        private double repliesPerSource;
        private int queues = 1;
        private int mtu = DEFAULT_MTU;
        private ReassemblyLimits reassembly = ReassemblyLimits.DEFAULTS;
        private ProbeTable probes;

        private Builder(PacketCounters counters, Supplier<HostTable> hosts) {
            this.counters = Objects.requireNonNull(counters, "counters");
            this.hosts = Objects.requireNonNull(hosts, "hosts");
        }

        /** Where the stages read the time (timelines, delays, rate limits); the system's by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The seed of the random decisions; a new one each time by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The most replies a channel holds back at once. */
        public Builder maxDelayed(int maxDelayed) {
            if (maxDelayed < 1) {
                throw new IllegalArgumentException("maxDelayed must be at least 1: " + maxDelayed);
            }
            this.maxDelayed = maxDelayed;
            return this;
        }

        /**
         * Whether IPv6 is answered (the interface has an IPv6 address); when not, every IPv6 packet is dropped and
         * counted as {@code ipv6}. Default: true.
         */
        public Builder ipv6(boolean answered) {
            this.ipv6 = answered;
            return this;
        }

        /**
         * Limits the answers (replies and ICMP errors): at most {@code perSecond} a second in all (shared evenly by
         * {@code queues} channels) and {@code perSource} a second to one source address; 0: no limit.
         */
        public Builder replyLimits(double perSecond, double perSource, int queues) {
            this.repliesPerSecond = perSecond;
            this.repliesPerSource = perSource;
            this.queues = Math.max(1, queues);
            return this;
        }

        /** Shows every packet read and written to {@code capture} while it is active (a stage at the head). */
        public Builder capture(PacketCapture capture) {
            this.capture = capture;
            return this;
        }

        /**
         * The MTU of the interface the channels write to: replies larger than this leave in fragments. It must be
         * the interface's (the server sets it from {@code interface.mtu}); {@value #DEFAULT_MTU} by default.
         */
        public Builder mtu(int mtu) {
            if (mtu < Mtu.MIN || mtu > Mtu.MAX) {
                throw new IllegalArgumentException("mtu must be " + Mtu.MIN + ".." + Mtu.MAX + ": " + mtu);
            }
            this.mtu = mtu;
            return this;
        }

        /** The caps and time-outs of fragment reassembly, per channel; {@link ReassemblyLimits#DEFAULTS} by default. */
        public Builder reassembly(ReassemblyLimits limits) {
            this.reassembly = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Where every request to an answered address that is a probe (an echo request, a TCP SYN, a UDP datagram) is
         * recorded, by the same {@link #clock}; {@code null} (the default): probes are not tracked.
         */
        public Builder probes(ProbeTable probes) {
            this.probes = probes;
            return this;
        }

        public ResponderPipeline build() {
            return new ResponderPipeline(this);
        }
    }
}
