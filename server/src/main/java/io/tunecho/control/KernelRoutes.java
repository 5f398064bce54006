package io.tunecho.control;

import io.tunecho.wire.IpCidr;

import java.io.IOException;

/** Routes prefixes into the interface (the server's channel does it). */
public interface KernelRoutes {
    void add(IpCidr prefix) throws IOException;

    void delete(IpCidr prefix) throws IOException;

    /** No routes (for tests and {@code --check}). */
    KernelRoutes NONE = new KernelRoutes() {
        @Override
        public void add(IpCidr prefix) {
        }

        @Override
        public void delete(IpCidr prefix) {
        }
    };
}
