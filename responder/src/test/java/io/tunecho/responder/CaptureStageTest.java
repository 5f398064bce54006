package io.tunecho.responder;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tunecho.hosts.HostConfig;
import io.tunecho.hosts.HostTable;
import io.tunecho.hosts.ManualClock;
import io.tunecho.packet.PacketCapture;
import io.tunecho.packet.PacketCounters;
import io.tunecho.samples.Packets;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The capture stage is in a channel's pipeline only while a capture runs, and then sees requests and replies. */
class CaptureStageTest {
    private final FakeCapture capture = new FakeCapture();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        ManualClock clock = new ManualClock();
        HostTable table = HostTable.build(HostConfig.answering(IpCidr.parse("198.18.0.1/24"),
                List.of(IpCidr.parse("198.18.0.0/24"))), null, clock);
        channel = new EmbeddedChannel();
        ResponderPipeline.builder(new PacketCounters(), () -> table).clock(clock).seed(1).capture(capture).build()
                .addTo(channel.pipeline());
    }

    @AfterEach
    void tearDown() {
        assertFalse(channel.finishAndReleaseAll(), "unread messages left in the channel");
    }

    @Test
    void noStageAndNothingRecordedWhileNoCaptureRuns() {
        assertNull(channel.pipeline().get(ResponderPipeline.CAPTURE));
        echo();
        assertEquals(0, capture.inbound + capture.outbound);
    }

    @Test
    void aStartedCapturePutsTheStageFirstAndSeesRequestAndReply() {
        capture.set(true);
        channel.runPendingTasks();
        List<String> names = channel.pipeline().names();
        assertEquals(names.indexOf(ResponderPipeline.REPLIES) - 1, names.indexOf(ResponderPipeline.CAPTURE),
                names.toString());
        echo();
        assertEquals(1, capture.inbound);
        assertEquals(1, capture.outbound);
    }

    @Test
    void aStoppedCaptureTakesTheStageOut() {
        capture.set(true);
        channel.runPendingTasks();
        capture.set(false);
        channel.runPendingTasks();
        assertNull(channel.pipeline().get(ResponderPipeline.CAPTURE));
        echo();
        assertEquals(0, capture.inbound + capture.outbound);
    }

    @Test
    void aChannelOpenedDuringACaptureStartsWithTheStage() {
        capture.set(true);
        channel.runPendingTasks();
        EmbeddedChannel second = new EmbeddedChannel();
        ManualClock clock = new ManualClock();
        HostTable table = HostTable.build(HostConfig.answering(IpCidr.parse("198.18.0.1/24"),
                List.of(IpCidr.parse("198.18.0.0/24"))), null, clock);
        ResponderPipeline.builder(new PacketCounters(), () -> table).clock(clock).capture(new FakeCapture(true))
                .build().addTo(second.pipeline());
        assertNotNull(second.pipeline().get(ResponderPipeline.CAPTURE));
        assertFalse(second.finishAndReleaseAll());
    }

    private void echo() {
        channel.writeInbound(Packets.buf(Packets.ECHO_REQUEST));
        ByteBuf reply = channel.readOutbound();
        assertNotNull(reply, "an echo reply");
        reply.release();
    }

    /** A capture that counts what it is shown and tells its listeners when it starts or stops. */
    private static final class FakeCapture implements PacketCapture {
        private final List<Runnable> listeners = new ArrayList<>();
        private volatile boolean active;
        int inbound;
        int outbound;

        FakeCapture() {
        }

        FakeCapture(boolean active) {
            this.active = active;
        }

        void set(boolean running) {
            active = running;
            listeners.forEach(Runnable::run);
        }

        @Override
        public boolean active() {
            return active;
        }

        @Override
        public void record(ByteBuf packet, boolean in) {
            if (in) {
                inbound++;
            } else {
                outbound++;
            }
        }

        @Override
        public void onChange(Runnable listener) {
            listeners.add(listener);
        }
    }
}
