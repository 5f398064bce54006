package io.tunecho.it;

import io.tunecho.config.ConfigLoader;
import io.tunecho.config.TunechoConfig;
import io.tunecho.wire.IpCidr;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The files of {@code examples/alerting/} agree with each other, without running anything: the addresses and ports
 * that one file names are where another listens, the token is the same on both sides, the compose file mounts files
 * that exist and puts the three monitoring programs in tunecho's network namespace. (The programs themselves check
 * their files in MonitoringChainIT; podman-compose 1.0.3 has no offline {@code config} command.)
 */
class AlertingExampleTest {
    private static final String BLACKBOX = "127.0.0.1:9115";
    private static final String ALERTMANAGER = "127.0.0.1:9093";
    private static final String PROMETHEUS = "127.0.0.1:9090";

    @Test
    void tunechosConfigLoadsAndProbedHostsAreInItsSubnet() throws Exception {
        TunechoConfig config = ConfigLoader.load(Files.readString(Path.of("examples/alerting/tunecho.yaml")),
                "examples/alerting/tunecho.yaml", TunechoConfig.defaults());
        assertNotNull(config.scenario(), "the example is a drill");
        assertEquals(3, config.scenario().steps().size());
        assertTrue(config.scenario().exit(), "it ends with tunecho's exit code");
        IpCidr lab = IpCidr.parse(String.valueOf(AlertingExample.map(AlertingExample.load("tunecho.yaml"),
                "interface").get("address"))).subnet();
        for (String target : blackboxTargets()) {
            assertTrue(lab.contains(IpCidr.parse(target)), target + " is not in " + lab);
        }
    }

    @Test
    void alertmanagerSendsEveryAlertAtOnceToTunechoWithItsToken() {
        Map<String, Object> am = AlertingExample.load("alertmanager.yml");
        Map<String, Object> route = AlertingExample.map(am, "route");
        assertEquals("0s", route.get("group_wait"));
        assertEquals("1s", route.get("group_interval"));
        assertEquals(route.get("receiver"), first(AlertingExample.list(am, "receivers")).get("name"));
        Map<String, Object> webhook = first(AlertingExample.list(first(AlertingExample.list(am, "receivers")),
                "webhook_configs"));
        assertEquals(AlertingExample.httpBase() + "/api/alerts", webhook.get("url"));
        assertEquals(true, webhook.get("send_resolved"));
        assertEquals(AlertingExample.token(), AlertingExample.map(AlertingExample.map(webhook, "http_config"),
                "authorization").get("credentials"));
    }

    @Test
    void prometheusReachesTheExporterAlertmanagerAndTunechoWhereTheyListen() {
        Map<String, Object> prometheus = AlertingExample.load("prometheus.yml");
        for (Object file : AlertingExample.list(prometheus, "rule_files")) {
            assertTrue(Files.exists(AlertingExample.DIR.resolve((String) file)), "no rule file " + file);
        }
        Map<String, Object> alerting = first(AlertingExample.list(AlertingExample.map(prometheus, "alerting"),
                "alertmanagers"));
        assertEquals(List.of(ALERTMANAGER), staticTargets(alerting));
        Map<String, Object> ping = job(prometheus, "ping");
        assertEquals(List.of("icmp"), AlertingExample.map(ping, "params").get("module"));
        assertTrue(AlertingExample.map(AlertingExample.load("blackbox.yml"), "modules").containsKey("icmp"));
        List<Object> relabel = AlertingExample.list(ping, "relabel_configs");
        assertTrue(relabel.stream().anyMatch(r -> BLACKBOX.equals(((Map<?, ?>) r).get("replacement"))
                && "__address__".equals(((Map<?, ?>) r).get("target_label"))), "the exporter's address: " + relabel);
        assertTrue(relabel.stream().anyMatch(r -> "instance".equals(((Map<?, ?>) r).get("target_label"))
                && List.of("__param_target").equals(((Map<?, ?>) r).get("source_labels"))), "instance = the host");
        assertEquals(List.of(AlertingExample.httpBase().substring("http://".length())),
                staticTargets(job(prometheus, "tunecho")));
        Map<String, Object> rule = first(AlertingExample.list(first(AlertingExample.list(
                AlertingExample.load("rules.yml"), "groups")), "rules"));
        assertEquals("HostDown", rule.get("alert"));
        assertTrue(String.valueOf(rule.get("expr")).contains("job=\"ping\""), String.valueOf(rule.get("expr")));
    }

    @Test
    void composeRunsTheFourInTunechosNetworkNamespaceWithTheExamplesFiles() {
        Map<String, Object> services = AlertingExample.map(AlertingExample.load("compose.yaml"), "services");
        assertEquals(List.of("tunecho", "blackbox", "alertmanager", "prometheus"), List.copyOf(services.keySet()));
        Map<String, Object> tunecho = AlertingExample.map(services, "tunecho");
        assertEquals(List.of("NET_ADMIN"), tunecho.get("cap_add"));
        assertTrue(volumes(tunecho).contains("./tunecho.yaml:/etc/tunecho/tunecho.yaml:ro"), volumes(tunecho)::toString);
        // scenario.report is /tmp/drill.xml: /tmp is the mounted ./report
        assertTrue(volumes(tunecho).contains("./report:/tmp"), volumes(tunecho)::toString);
        assertInstanceOf(List.class, tunecho.get("sysctls"), "podman-compose 1.0.3 drops a mapping's values");
        Map<String, String> listens = Map.of("blackbox", BLACKBOX, "alertmanager", ALERTMANAGER,
                "prometheus", PROMETHEUS);
        for (Map.Entry<String, String> e : listens.entrySet()) {
            Map<String, Object> service = AlertingExample.map(services, e.getKey());
            assertEquals("service:tunecho", service.get("network_mode"), e.getKey());
            assertTrue(AlertingExample.list(service, "command").contains("--web.listen-address=" + e.getValue()),
                    e.getKey() + " listens on " + e.getValue());
            for (String volume : volumes(service)) {
                String source = volume.substring(0, volume.indexOf(':'));
                assertTrue(Files.exists(AlertingExample.DIR.resolve(source)), e.getKey() + " mounts " + source);
            }
        }
    }

    private static List<String> blackboxTargets() {
        return staticTargets(job(AlertingExample.load("prometheus.yml"), "ping"));
    }

    private static Map<String, Object> job(Map<String, Object> prometheus, String name) {
        for (Object job : AlertingExample.list(prometheus, "scrape_configs")) {
            if (name.equals(((Map<?, ?>) job).get("job_name"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> found = (Map<String, Object>) job;
                return found;
            }
        }
        throw new AssertionError("no scrape job " + name);
    }

    private static List<String> staticTargets(Map<String, Object> config) {
        return AlertingExample.list(first(AlertingExample.list(config, "static_configs")), "targets").stream()
                .map(String::valueOf).toList();
    }

    private static List<String> volumes(Map<String, Object> service) {
        return AlertingExample.list(service, "volumes").stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(List<Object> list) {
        return (Map<String, Object>) list.get(0);
    }
}
