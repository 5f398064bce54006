package io.tunecho.it;

/** Every {@link LargePingIT} test again, with tunecho started with {@code --transport io_uring}. */
class LargePingIoUringIT extends LargePingIT {

    @Override
    protected String[] transportOptions() {
        return new String[] {"--transport", "io_uring"};
    }
}
