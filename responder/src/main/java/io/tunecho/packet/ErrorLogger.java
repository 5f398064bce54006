package io.tunecho.packet;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;

/**
 * The last handler of the pipeline: logs what went wrong (a failed write, a failed read) in one line instead of
 * Netty's "an exceptionCaught() event was fired, and it reached at the tail" warning with a stack trace.
 */
@Sharable
public final class ErrorLogger extends ChannelInboundHandlerAdapter {
    public static final ErrorLogger INSTANCE = new ErrorLogger();
    private static final Logger log = PacketLog.of(ErrorLogger.class);

    private ErrorLogger() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (log.isDebugEnabled()) {
            log.debug("{}: {}", ctx.channel(), cause.toString(), cause);
        } else {
            log.warn("{}: {}", ctx.channel().localAddress(), cause.toString());
        }
    }
}
