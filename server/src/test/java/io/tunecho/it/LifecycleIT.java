package io.tunecho.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting, configuring and stopping the server, in this test's own network namespace. */
class LifecycleIT {

    @BeforeEach
    void guard() {
        Netns.assertPrivateNamespace();
    }

    private static int received(String... pingArgs) throws Exception {
        String[] cmd = new String[pingArgs.length + 6];
        System.arraycopy(new String[] {"ping", "-n", "-c", "2", "-i", "0.2"}, 0, cmd, 0, 6);
        System.arraycopy(pingArgs, 0, cmd, 6, pingArgs.length);
        return PingOutput.parse(Netns.run(30, cmd).output()).received();
    }

    @Test
    void sigtermStopsCleanlyAndTheCreatedInterfaceDisappears() throws Exception {
        try (TunechoProcess t = TunechoProcess.start("--interface", "tunit10", "--address", "198.18.10.1/24")) {
            assertTrue(Netns.interfaceExists("tunit10"));
            assertEquals(2, received("-W", "2", "198.18.10.2"));
            assertEquals(0, t.terminate(), t.output());
            assertFalse(Netns.interfaceExists("tunit10"));
            assertFalse(t.output().contains("Exception"), t.output());
        }
    }

    /** libc is bound lazily by jnr's reflective loader unless a program asks jnr for bytecode generation. */
    @Test
    void worksWithJnrBytecodeGenerationTurnedOn() throws Exception {
        try (TunechoProcess t = TunechoProcess.startWithJvmOptions(List.of("-Djnr.ffi.asm.enabled=true"),
                "--interface", "tunit18", "--address", "198.18.18.1/24")) {
            assertEquals(2, received("-W", "2", "198.18.18.2"));
            assertEquals(0, t.terminate(), t.output());
            assertFalse(Netns.interfaceExists("tunit18"));
        }
    }

    @Test
    void sigintStopsCleanly() throws Exception {
        try (TunechoProcess t = TunechoProcess.start("--interface", "tunit11", "--address", "198.18.11.1/24")) {
            assertEquals(0, t.interrupt(), t.output());
            assertFalse(Netns.interfaceExists("tunit11"));
        }
    }

    @Test
    void attachesToAPreCreatedInterfaceAndLeavesItThere() throws Exception {
        Netns.run(10, "ip", "tuntap", "add", "dev", "tunit12", "mode", "tun").assertSuccess();
        try (TunechoProcess t = TunechoProcess.start("--interface", "tunit12", "--address", "198.18.12.1/24")) {
            assertEquals(2, received("-W", "2", "198.18.12.77"));
            assertEquals(0, t.terminate(), t.output());
            assertTrue(Netns.interfaceExists("tunit12"), "a pre-created interface must stay");
        } finally {
            Netns.run(10, "ip", "link", "del", "tunit12");
        }
    }

    @Test
    void configuresAddressMtuAndLinkItself() throws Exception {
        try (TunechoProcess t = TunechoProcess.start("--interface", "tunit13", "--address", "198.18.13.1/25",
                "--mtu", "1400")) {
            String link = Netns.run(10, "ip", "-o", "link", "show", "dev", "tunit13").assertSuccess().output();
            assertTrue(link.contains("mtu 1400"), link);
            assertTrue(link.contains("UP"), link);
            String addr = Netns.run(10, "ip", "-o", "-4", "addr", "show", "dev", "tunit13").assertSuccess().output();
            assertTrue(addr.contains("inet 198.18.13.1/25"), addr);
            assertEquals(2, received("-W", "2", "198.18.13.100"));
            assertEquals(0, t.terminate(), t.output());
        }
    }

    @Test
    void answersOnlyTheListedAddressesAndRoutesThoseOutsideTheSubnet() throws Exception {
        try (TunechoProcess t = TunechoProcess.start("--interface", "tunit14", "--address", "198.18.14.1/24",
                "--answer", "198.18.14.8/29,203.0.113.0/24")) {
            assertEquals(2, received("-W", "2", "198.18.14.9"));
            assertEquals(2, received("-W", "2", "203.0.113.200"));
            assertEquals(0, received("-W", "1", "198.18.14.20"));
            assertEquals(0, t.terminate(), t.output());
        }
    }

    @Test
    void readsTheConfigFileAndCommandLineOverridesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tunecho.yaml");
        Files.writeString(file, String.join("\n",
                "interface:",
                "  name: tunit15",
                "  address: 198.18.15.1/24",
                "  mtu: 1300",
                "answer:",
                "  - 198.18.15.64/26",
                ""));
        try (TunechoProcess t = TunechoProcess.start("--config", file.toString(), "--mtu", "1280")) {
            String link = Netns.run(10, "ip", "-o", "link", "show", "dev", "tunit15").assertSuccess().output();
            assertTrue(link.contains("mtu 1280"), link);
            assertEquals(2, received("-W", "2", "198.18.15.70"));
            assertEquals(0, received("-W", "1", "198.18.15.7"));
            assertEquals(0, t.terminate(), t.output());
        }
    }

    @Test
    void theShippedConfigFileFollowsTheAddressOnTheCommandLine() throws Exception {
        // config/tunecho.yaml says it changes nothing: with it, --address moves the answered subnet along.
        try (TunechoProcess t = TunechoProcess.start("--config", "config/tunecho.yaml", "--interface", "tunit16",
                "--address", "10.9.0.1/24")) {
            assertEquals(2, received("-W", "2", "10.9.0.5"));
            assertTrue(t.output().contains(": 10.9.0.0/24 except 10.9.0.1"), t.output());
            String routes = Netns.run(10, "ip", "-4", "route", "show", "dev", "tunit16").assertSuccess().output();
            assertFalse(routes.contains("198.18.0.0/24"), routes);
            assertEquals(0, t.terminate(), t.output());
        }
    }

    @Test
    void anAnswerOutsideTheSubnetIsMarkedRoutedInTheStartUpLine() throws Exception {
        try (TunechoProcess t = TunechoProcess.start("--interface", "tunit17", "--address", "10.9.1.1/24",
                "--answer", "198.18.17.0/24")) {
            assertTrue(t.output().contains("198.18.17.0/24 (routed: outside 10.9.1.0/24)"), t.output());
            assertEquals(2, received("-W", "2", "198.18.17.5"));
            assertEquals(0, t.terminate(), t.output());
        }
    }

    @Test
    void answersOnEveryQueueOfAMultiQueueDevice() throws Exception {
        for (String transport : new String[] {"epoll", "io_uring"}) {
            answersOnEveryQueue(transport);
        }
    }

    private static void answersOnEveryQueue(String transport) throws Exception {
        try (TunechoProcess t = TunechoProcess.start("--interface", "tunit16", "--address", "198.18.16.1/24",
                "--queues", "2", "--transport", transport)) {
            String link = Netns.run(10, "ip", "-d", "link", "show", "dev", "tunit16").assertSuccess().output();
            assertTrue(link.contains("multi_queue"), link);
            // Sources spread over the queues by address hash: ping from several addresses of the kernel's side.
            for (int i = 2; i <= 5; i++) {
                Netns.run(10, "ip", "addr", "add", "198.18.16." + (100 + i) + "/32", "dev", "tunit16").assertSuccess();
            }
            for (int i = 2; i <= 5; i++) {
                PingOutput p = PingOutput.parse(Netns.run(30, "ping", "-n", "-c", "20", "-i", "0.01", "-W", "2",
                        "-I", "198.18.16." + (100 + i), "198.18.16." + (10 + i)).output());
                assertEquals(20, p.received(), p.text());
            }
            assertTrue(t.output().contains("2 queues, " + transport + ")"), t.output());
            assertEquals(0, t.terminate(), t.output());
            assertFalse(Netns.interfaceExists("tunit16"));
        }
    }

    @Test
    void deletingTheInterfaceUnderItStopsItWithAnError() throws Exception {
        for (String transport : new String[] {"epoll", "io_uring"}) {
            try (TunechoProcess t = TunechoProcess.start("--interface", "tunit17", "--address", "198.18.17.1/24",
                    "--transport", transport)) {
                Netns.run(10, "ip", "link", "del", "tunit17").assertSuccess();
                assertEquals(1, t.waitForExit(20), t.output());
                assertTrue(t.output().contains("tunecho: the interface tunit17 went away"), t.output());
            }
        }
    }
}
