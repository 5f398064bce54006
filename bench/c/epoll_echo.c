// epoll_echo.c - the event-loop shape of tunecho's epoll transport, in C, as a bench reference.
//
// The TUN descriptor is non-blocking and level-triggered in an epoll set; the loop waits in
// epoll_wait(-1), then reads, turns each ICMP echo request into its reply in place and writes it back.
// It shows what an epoll design costs by itself, next to the bench's c-tun (blocking read + write):
// the gap between epoll_echo and c-tun is the price of epoll, the gap between tunecho and epoll_echo
// is the price of Java and Netty.
//
//   usage: epoll_echo [-d] TUNNAME      (the TUN exists and is configured: bench mode "pre")
//   default: one read per wake-up (what tunecho does under ping-pong traffic: 3 syscalls a packet)
//   -d:      read until EAGAIN on every wake-up (the classic loop: 4 syscalls a ping-pong packet)
//
// Build: gcc -O2 -Wall -o epoll_echo epoll_echo.c
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void) sig; stop = 1; }

static uint16_t get16(const uint8_t *p) { return (uint16_t) (p[0] << 8 | p[1]); }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t) (v >> 8); p[1] = (uint8_t) v; }

// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')
static uint16_t adjust(uint16_t sum, uint16_t was, uint16_t now)
{
    uint32_t s = (uint16_t) ~sum + (uint32_t) (uint16_t) ~was + now;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t) ~s;
}

// 1 when p[0..n) became an echo reply, 0 when it is not an IPv4 echo request we answer.
static int answer(uint8_t *p, ssize_t n)
{
    if (n < 28 || (p[0] >> 4) != 4 || p[9] != 1)
        return 0;
    int hl = (p[0] & 15) * 4;
    if (hl < 20 || n < hl + 8 || (get16(p + 6) & 0x3fff) || p[hl] != 8 || p[hl + 1] != 0)
        return 0;
    uint8_t tmp[4];
    memcpy(tmp, p + 12, 4); // swapping source and destination leaves the header sum as it was
    memcpy(p + 12, p + 16, 4);
    memcpy(p + 16, tmp, 4);
    uint16_t ttl_proto = get16(p + 8);
    p[8] = 64;
    put16(p + 10, adjust(get16(p + 10), ttl_proto, get16(p + 8)));
    uint8_t *icmp = p + hl;
    uint16_t type_code = get16(icmp);
    icmp[0] = 0;
    put16(icmp + 2, adjust(get16(icmp + 2), type_code, get16(icmp)));
    return 1;
}

int main(int argc, char **argv)
{
    int drain = 0, a = 1;
    if (a < argc && strcmp(argv[a], "-d") == 0) {
        drain = 1;
        a++;
    }
    if (a != argc - 1) {
        fprintf(stderr, "usage: epoll_echo [-d] TUNNAME\n");
        return 2;
    }
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        perror("open /dev/net/tun");
        return 1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(ifr.ifr_name, argv[a], IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        perror("TUNSETIFF");
        return 1;
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        perror("epoll");
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    fprintf(stderr, "epoll_echo: attached to %s (%s)\n", ifr.ifr_name, drain ? "drain" : "one read per wake-up");

    uint8_t buf[65536];
    unsigned long rx = 0, tx = 0, wakeups = 0;
    while (!stop) {
        struct epoll_event out[8];
        int ready = epoll_wait(ep, out, 8, -1);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            perror("epoll_wait");
            return 1;
        }
        wakeups++;
        do {
            ssize_t n = read(fd, buf, sizeof buf);
            if (n < 0) {
                if (errno == EAGAIN || errno == EINTR)
                    break;
                perror("read");
                return 1;
            }
            rx++;
            if (answer(buf, n) && write(fd, buf, (size_t) n) == n)
                tx++;
        } while (drain && !stop);
    }
    fprintf(stderr, "epoll_echo: rx=%lu tx=%lu wakeups=%lu\n", rx, tx, wakeups);
    return 0;
}
