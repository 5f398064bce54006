package io.tunecho.it;

/** Every {@link JumboLargePingIT} test again, with tunecho started with {@code --transport io_uring}. */
class JumboLargePingIoUringIT extends JumboLargePingIT {

    @Override
    protected String[] transportOptions() {
        return new String[] {"--transport", "io_uring"};
    }
}
