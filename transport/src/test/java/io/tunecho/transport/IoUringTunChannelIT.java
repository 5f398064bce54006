package io.tunecho.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.uring.IoUringIoHandler;

/** Every {@link TunChannelIT} test again, with {@link IoUringTunChannel} on io_uring event loops. */
class IoUringTunChannelIT extends TunChannelIT {

    @Override
    protected IoHandlerFactory ioHandlerFactory() {
        return IoUringIoHandler.newFactory();
    }

    @Override
    protected Class<? extends AbstractTunChannel> channelClass() {
        return IoUringTunChannel.class;
    }
}
