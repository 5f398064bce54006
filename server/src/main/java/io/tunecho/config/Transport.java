package io.tunecho.config;

/** How the event loops do I/O. Written in the config file and on the command line as {@link #toString()}. */
public enum Transport {
    EPOLL("epoll"), IO_URING("io_uring");

    private final String configName;

    Transport(String configName) {
        this.configName = configName;
    }

    @Override
    public String toString() {
        return configName;
    }
}
