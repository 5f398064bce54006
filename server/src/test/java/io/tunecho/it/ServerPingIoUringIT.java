package io.tunecho.it;

/** Every {@link ServerPingIT} test again, with tunecho started with {@code --transport io_uring}. */
class ServerPingIoUringIT extends ServerPingIT {

    @Override
    protected String[] transportOptions() {
        return new String[] {"--transport", "io_uring"};
    }
}
