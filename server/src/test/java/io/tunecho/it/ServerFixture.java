package io.tunecho.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * One tunecho server for all the tests of a class, with a config of its own: started before them in the private
 * network namespace, and stopped cleanly after them. Register it as a static field:
 * {@code @RegisterExtension static final ServerFixture TUNECHO = ServerFixture.withConfig("interface: …", …);}
 */
final class ServerFixture implements BeforeAllCallback, AfterAllCallback {
    private final List<String> yaml;
    private TunechoProcess process;

    private ServerFixture(List<String> yaml) {
        this.yaml = yaml;
    }

    /** A server started with these lines as its config file. */
    static ServerFixture withConfig(String... yaml) {
        return new ServerFixture(List.of(yaml));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Netns.assertPrivateNamespace();
        process = TunechoProcess.startWithConfig(List.of(), yaml);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            TunechoProcess p = process;
            process = null;
            p.stop();
        }
    }

    /** What the server has printed so far. */
    String output() {
        return process.output();
    }
}
