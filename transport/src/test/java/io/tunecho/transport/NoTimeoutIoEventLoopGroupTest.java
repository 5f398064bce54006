package io.tunecho.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loops wait without a timeout, so what wakes them must still be tasks, scheduled tasks and shutdown. */
class NoTimeoutIoEventLoopGroupTest {

    private static IoHandlerFactory factory(String transport) {
        if (transport.equals("io_uring")) {
            Assumptions.assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
            return IoUringIoHandler.newFactory();
        }
        return EpollIoHandler.newFactory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring"})
    void runsTasksSubmittedFromOtherThreadsToAnIdleLoop(String transport) throws Exception {
        NoTimeoutIoEventLoopGroup group = new NoTimeoutIoEventLoopGroup(1, factory(transport));
        try {
            for (int i = 0; i < 50; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                group.next().execute(ran::countDown);
                assertTrue(ran.await(5, TimeUnit.SECONDS), "task " + i + " did not run");
                Thread.sleep(2); // let the loop go back to sleep
            }
        } finally {
            assertTrue(group.shutdownGracefully(10, 1000, TimeUnit.MILLISECONDS).await(10, TimeUnit.SECONDS));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring"})
    void scheduledTasksStillWakeTheLoopAtTheirDeadline(String transport) throws Exception {
        NoTimeoutIoEventLoopGroup group = new NoTimeoutIoEventLoopGroup(1, factory(transport));
        try {
            // The loop is idle and sleeps without a timeout; only the scheduled deadlines can wake it.
            CountDownLatch first = new CountDownLatch(1);
            group.next().execute(() -> { }); // start the loop, then let it fall asleep
            Thread.sleep(50);
            ScheduledFuture<?> f = group.next().schedule(first::countDown, 100, TimeUnit.MILLISECONDS);
            assertTrue(first.await(5, TimeUnit.SECONDS), "the scheduled task did not run");
            assertTrue(f.await(5, TimeUnit.SECONDS) && f.isSuccess(), "the scheduled future did not succeed");
            // A task scheduled from inside the loop, while nothing else is pending.
            CountDownLatch second = new CountDownLatch(1);
            group.next().execute(() -> group.next().schedule(second::countDown, 200, TimeUnit.MILLISECONDS));
            assertTrue(second.await(5, TimeUnit.SECONDS), "the task scheduled from the loop did not run");
            assertEquals(0, first.getCount());
        } finally {
            assertTrue(group.shutdownGracefully(10, 1000, TimeUnit.MILLISECONDS).await(10, TimeUnit.SECONDS));
        }
    }
}
