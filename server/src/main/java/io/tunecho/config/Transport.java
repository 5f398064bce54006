package io.tunecho.config;

/**
 * How the event loops do I/O. Written in the config file and on the command line as {@link #toString()}.
 * {@link #AUTO} is a request: at start it becomes {@link #IO_URING} or {@link #EPOLL}, by what the kernel offers.
 */
public enum Transport {
    AUTO("auto"), EPOLL("epoll"), IO_URING("io_uring");

    private final String configName;

    Transport(String configName) {
        this.configName = configName;
    }

    @Override
    public String toString() {
        return configName;
    }
}
