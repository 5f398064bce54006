package io.tunecho.transport;

import io.netty.bootstrap.Bootstrap;

/**
 * Every {@link TunChannelIT} test again on io_uring with single reads, 16 of them in flight: bursts complete several
 * reads per turn, and closing cancels reads that wait in the kernel.
 */
class IoUringTunChannelManyReadsIT extends IoUringTunChannelIT {

    @Override
    protected Bootstrap bootstrap() {
        return super.bootstrap().option(TunChannelOption.MULTISHOT_READ, false)
                .option(TunChannelOption.READS_IN_FLIGHT, 16);
    }
}
