package io.tunecho.transport;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;

import java.util.concurrent.Executor;

/**
 * A {@link MultiThreadIoEventLoopGroup} whose loops, when nothing is scheduled, wait for I/O without a timeout.
 *
 * <p>Netty 4.2's {@link SingleThreadIoEventLoop} hands its {@code IoHandler} a deadline one second ahead whenever
 * no task is scheduled. The epoll handler then waits with {@code epoll_pwait2} and a one-second timeout, and the
 * io_uring handler with a timeout request: the kernel arms and cancels a timer on every wake-up. For a channel that
 * wakes up once per packet, as a TUN channel under ping-pong traffic does, that timer is a measurable part of the
 * cost of a packet. These loops report "no deadline" instead, so an idle loop sleeps in a plain
 * {@code epoll_wait(-1)} (or io_uring wait) until I/O or a task wakes it, as Netty 4.1's loops did. Scheduled tasks
 * keep their deadlines.
 *
 * <pre>{@code
 * EventLoopGroup group = new NoTimeoutIoEventLoopGroup(1, EpollIoHandler.newFactory());
 * }</pre>
 */
public class NoTimeoutIoEventLoopGroup extends MultiThreadIoEventLoopGroup {
    /** {@code threads} loops (0: Netty's default count) over I/O handlers from {@code factory}. */
    public NoTimeoutIoEventLoopGroup(int threads, IoHandlerFactory factory) {
        super(threads, factory);
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
        return new Loop(this, executor, ioHandlerFactory);
    }

    private static final class Loop extends SingleThreadIoEventLoop {
        Loop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory factory) {
            super(parent, executor, factory);
        }

        /** The next scheduled task's deadline, or -1 (none) where Netty would say "one second from now". */
        @Override
        protected long deadlineNanos() {
            return nextScheduledTaskDeadlineNanos();
        }
    }
}
