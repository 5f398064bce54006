package io.tunecho.transport;

import io.netty.bootstrap.Bootstrap;

/**
 * Every {@link TunChannelIT} test again on io_uring with single reads ({@link TunChannelOption#MULTISHOT_READ}
 * off), the reading of kernels without a multishot read.
 */
class IoUringTunChannelSingleReadIT extends IoUringTunChannelIT {

    @Override
    protected Bootstrap bootstrap() {
        return super.bootstrap().option(TunChannelOption.MULTISHOT_READ, false);
    }
}
