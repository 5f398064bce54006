package io.tunecho.app.config;

import io.tunecho.wire.Ipv4Cidr;

import java.util.List;

/**
 * tunecho's settings: what {@code config/tunecho.yaml} documents, after defaults, file and command line.
 *
 * @param interfaceName    the TUN interface to create or attach to
 * @param interfaceAddress the kernel's address and prefix on the interface
 * @param mtu              the interface MTU
 * @param queues           the number of queues of the TUN device (more than 1: a multi-queue device), each
 *                         read by its own channel on its own event loop
 * @param answer           the prefixes answered; empty means the interface's subnet
 * @param transport        the event loops' I/O mechanism
 * @param user             the user to switch to once the interface is configured; {@code null}: stay as started
 */
public record TunechoConfig(String interfaceName, Ipv4Cidr interfaceAddress, int mtu, int queues,
                            List<Ipv4Cidr> answer, Transport transport, String user) {

    /** How the event loops do I/O. */
    public enum Transport {
        EPOLL("epoll"), IO_URING("io_uring");

        private final String configName;

        Transport(String configName) {
            this.configName = configName;
        }

        /** The name in the config file and on the command line. */
        public String configName() {
            return configName;
        }

        static Transport parse(String value, String what) throws ConfigException {
            for (Transport t : values()) {
                if (t.configName.equals(value.trim())) {
                    return t;
                }
            }
            throw new ConfigException(what + " '" + value.trim() + "' is not a transport; give epoll or io_uring");
        }
    }
    public static final String DEFAULT_INTERFACE = "tun0";
    public static final Ipv4Cidr DEFAULT_ADDRESS = Ipv4Cidr.parse("198.18.0.1/24");
    public static final int DEFAULT_MTU = 1500;
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;
    public static final int DEFAULT_QUEUES = 1;
    public static final int MAX_QUEUES = 64;

    public TunechoConfig {
        answer = List.copyOf(answer);
    }

    public static TunechoConfig defaults() {
        return new TunechoConfig(DEFAULT_INTERFACE, DEFAULT_ADDRESS, DEFAULT_MTU, DEFAULT_QUEUES, List.of(),
                Transport.EPOLL, null);
    }

    /** The prefixes to answer: the configured list, or the interface's subnet when none is configured. */
    public List<Ipv4Cidr> effectiveAnswer() {
        return answer.isEmpty() ? List.of(interfaceAddress.subnet()) : answer;
    }

    TunechoConfig withInterfaceName(String name) {
        return new TunechoConfig(name, interfaceAddress, mtu, queues, answer, transport, user);
    }

    TunechoConfig withInterfaceAddress(Ipv4Cidr address) {
        return new TunechoConfig(interfaceName, address, mtu, queues, answer, transport, user);
    }

    TunechoConfig withMtu(int value) {
        return new TunechoConfig(interfaceName, interfaceAddress, value, queues, answer, transport, user);
    }

    TunechoConfig withQueues(int value) {
        return new TunechoConfig(interfaceName, interfaceAddress, mtu, value, answer, transport, user);
    }

    TunechoConfig withTransport(Transport value) {
        return new TunechoConfig(interfaceName, interfaceAddress, mtu, queues, answer, value, user);
    }

    TunechoConfig withAnswer(List<Ipv4Cidr> value) {
        return new TunechoConfig(interfaceName, interfaceAddress, mtu, queues, value, transport, user);
    }

    TunechoConfig withUser(String value) {
        return new TunechoConfig(interfaceName, interfaceAddress, mtu, queues, answer, transport, value);
    }

    /** Checks the rules that span settings; {@code where} prefixes the message (a file name, or "command line"). */
    void validate(String where) throws ConfigException {
        Ipv4Cidr a = interfaceAddress;
        if (a.prefixLength() <= 30 && a.address() == a.network()) {
            throw new ConfigException(where + "interface.address " + a + " is its subnet's network address; use a "
                    + "host address such as " + Ipv4Cidr.format(a.network() + 1) + "/" + a.prefixLength());
        }
        if (a.prefixLength() <= 30 && a.address() == a.broadcast()) {
            throw new ConfigException(where + "interface.address " + a + " is its subnet's broadcast address; use a "
                    + "host address such as " + Ipv4Cidr.format(a.network() + 1) + "/" + a.prefixLength());
        }
        if (a.prefixLength() == 32 && answer.isEmpty()) {
            throw new ConfigException(where + "interface.address " + a + " is a /32: its subnet holds no other "
                    + "address to answer; give a shorter prefix or an 'answer' list");
        }
    }
}
