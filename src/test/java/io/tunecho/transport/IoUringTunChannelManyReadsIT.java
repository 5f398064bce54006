package io.tunecho.transport;

import io.netty.bootstrap.Bootstrap;

/**
 * Every {@link TunChannelIT} test again on io_uring, with 16 reads in flight: bursts complete several reads per
 * turn, and closing cancels reads that wait in the kernel.
 */
class IoUringTunChannelManyReadsIT extends IoUringTunChannelIT {

    @Override
    protected Bootstrap bootstrap() {
        return super.bootstrap().option(TunChannelOption.READS_IN_FLIGHT, 16);
    }
}
