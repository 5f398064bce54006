package io.tunecho.it;

import java.util.List;

/** Every {@link Ipv6IT} test again, on the io_uring transport. */
class Ipv6IoUringIT extends Ipv6IT {
    @Override
    protected List<String> transportOptions() {
        return List.of("--transport", "io_uring");
    }
}
