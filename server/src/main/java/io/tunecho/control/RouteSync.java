package io.tunecho.control;

import io.tunecho.config.ConfigException;
import io.tunecho.wire.IpCidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings the kernel's routes from one host table's prefixes to the next in two halves around the table swap: the new
 * routes first, all or none (a failure deletes those it added, so that the old table still stands alone), then,
 * once the new table is in force, the routes nothing answers any more (a failure there is logged only).
 */
final class RouteSync {
    private static final Logger log = LoggerFactory.getLogger(RouteSync.class);

    private final KernelRoutes routes;

    RouteSync(KernelRoutes routes) {
        this.routes = routes;
    }

    /**
     * Adds the routes of {@code after} that {@code before} lacks.
     *
     * @throws ConfigException when one cannot be added; the routes added until then are deleted again
     */
    void addNew(List<IpCidr> before, List<IpCidr> after, String interfaceName) throws ConfigException {
        List<IpCidr> added = new ArrayList<>();
        try {
            for (IpCidr r : after) {
                if (!before.contains(r)) {
                    routes.add(r);
                    added.add(r);
                }
            }
        } catch (IOException e) {
            for (IpCidr r : added) {
                delete(r);
            }
            throw new ConfigException("cannot route the new host entries into " + interfaceName + ": "
                    + e.getMessage() + "; nothing was changed");
        }
    }

    /** Deletes the routes of {@code before} that {@code after} lacks. */
    void removeOld(List<IpCidr> before, List<IpCidr> after) {
        for (IpCidr r : before) {
            if (!after.contains(r)) {
                delete(r);
            }
        }
    }

    private void delete(IpCidr r) {
        try {
            routes.delete(r);
        } catch (IOException e) {
            log.warn("cannot remove the route to {}: {}", r, e.getMessage());
        }
    }
}
