// delay_echo.c - an ICMP echo responder that holds every reply for a fixed delay, in C, as a bench reference.
//
// It answers as tunecho does with `delay: 10ms` (bench/configs/delay10.yaml), with nothing else in the way:
// one thread, a non-blocking TUN in an epoll set with a timerfd armed at the earliest reply's due time
// (absolute, CLOCK_MONOTONIC), and the held replies in a fixed ring in arrival order (the delay is constant,
// so that order is also the order they fall due). It shows how late a timer-driven reply leaves on this
// machine by itself: the gap between delay_echo and tunecho is what Java and Netty add to the delay, the
// gap between delay_echo and the configured delay is the platform's.
//
//   usage: delay_echo [-s] [-l MICROS] DELAY_MICROS TUNNAME   (the TUN exists and is configured: bench mode "pre")
//   -s:        spin instead of sleeping in the last stretch before a reply is due (epoll_wait with timeout 0):
//              what a responder gets when it never lets its CPU go idle
//   -l MICROS: arm the timer that much before the reply is due (a fixed lead; tunecho learns its lead)
//
// Build: gcc -O2 -Wall -o delay_echo delay_echo.c
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 8192          // replies held at most; more are dropped and counted (tunecho's max-delayed default)
#define SLOT_BYTES 2048     // the bench's pings are 84 bytes; larger packets are not answered

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void) sig; stop = 1; }

static uint8_t held[SLOTS][SLOT_BYTES];
static uint16_t held_len[SLOTS];
static int64_t held_due[SLOTS];
static uint8_t scratch[SLOT_BYTES];

static int64_t now_nanos(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t) (p[0] << 8 | p[1]); }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t) (v >> 8); p[1] = (uint8_t) v; }

// RFC 1624: the checksum after one 16-bit word changes from old to new.
static uint16_t checksum_after(uint16_t sum, uint16_t old, uint16_t new)
{
    uint32_t s = (uint16_t) ~sum + (uint16_t) ~old + new;
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    return (uint16_t) ~s;
}

// Turns an IPv4 echo request into its reply in place; 0 when the packet is not one.
static int to_reply(uint8_t *p, ssize_t n)
{
    if (n < 28 || p[0] >> 4 != 4) {
        return 0;
    }
    int ihl = (p[0] & 0x0f) * 4;
    if (p[9] != 1 || n < ihl + 8 || p[ihl] != 8 || p[ihl + 1] != 0) {
        return 0;
    }
    uint8_t address[4];
    memcpy(address, p + 12, 4);
    memcpy(p + 12, p + 16, 4);
    memcpy(p + 16, address, 4);          // swapping the addresses leaves the header checksum as it is
    uint8_t *icmp = p + ihl;
    icmp[0] = 0;
    put16(icmp + 2, checksum_after(get16(icmp + 2), 0x0800, 0x0000));
    return 1;
}

static void arm(int timer, int64_t at)
{
    struct itimerspec when = { .it_value = { .tv_sec = at / 1000000000, .tv_nsec = at % 1000000000 } };
    timerfd_settime(timer, TFD_TIMER_ABSTIME, &when, NULL);
}

int main(int argc, char **argv)
{
    int spin = 0;
    int64_t lead = 0;
    int opt;
    while ((opt = getopt(argc, argv, "sl:")) != -1) {
        if (opt == 's') {
            spin = 1;
        } else if (opt == 'l') {
            lead = atoll(optarg) * 1000;
        } else {
            fprintf(stderr, "usage: delay_echo [-s] [-l MICROS] DELAY_MICROS TUNNAME\n");
            return 2;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "usage: delay_echo [-s] [-l MICROS] DELAY_MICROS TUNNAME\n");
        return 2;
    }
    int64_t delay = atoll(argv[optind]) * 1000;
    int tun = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    struct ifreq ifr = { .ifr_flags = IFF_TUN | IFF_NO_PI };
    strncpy(ifr.ifr_name, argv[optind + 1], IFNAMSIZ - 1);
    if (tun < 0 || ioctl(tun, TUNSETIFF, &ifr) < 0) {
        perror("delay_echo: /dev/net/tun");
        return 2;
    }
    int timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event in = { .events = EPOLLIN, .data.fd = tun };
    struct epoll_event tick = { .events = EPOLLIN, .data.fd = timer };
    if (timer < 0 || ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, tun, &in) < 0
            || epoll_ctl(ep, EPOLL_CTL_ADD, timer, &tick) < 0) {
        perror("delay_echo: epoll");
        return 2;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    unsigned head = 0, count = 0;
    int64_t armed = 0;
    unsigned long long rx = 0, tx = 0, full = 0;
    struct epoll_event events[2];
    while (!stop) {
        int timeout = -1;
        if (count > 0) {
            int64_t wake = held_due[head] - lead;
            if (spin && wake - now_nanos() < 200000) {
                timeout = 0;                      // the last 0.2 ms: poll without sleeping
            } else if (wake != armed) {
                arm(timer, spin ? wake - 200000 : wake);
                armed = wake;
            }
        }
        int n = epoll_wait(ep, events, 2, timeout);
        if (n < 0 && errno != EINTR) {
            perror("delay_echo: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            if (events[i].data.fd == timer) {
                uint64_t expirations;
                if (read(timer, &expirations, sizeof expirations) < 0 && errno != EAGAIN) {
                    perror("delay_echo: timerfd");
                }
                armed = 0;
            }
        }
        for (;;) {                                // read what has come in
            unsigned tail = (head + count) % SLOTS;
            uint8_t *into = count < SLOTS ? held[tail] : scratch;     // a full ring must not lose its head
            ssize_t got = read(tun, into, SLOT_BYTES);
            if (got < 0) {
                break;
            }
            rx++;
            if (!to_reply(into, got)) {
                continue;
            }
            if (into == scratch) {
                full++;
                continue;
            }
            held_len[tail] = (uint16_t) got;
            held_due[tail] = now_nanos() + delay;
            count++;
        }
        int64_t now = now_nanos();
        while (count > 0 && held_due[head] - lead <= now) {    // write what is due
            if (write(tun, held[head], held_len[head]) > 0) {
                tx++;
            }
            head = (head + 1) % SLOTS;
            count--;
        }
    }
    fprintf(stderr, "delay_echo: rx=%llu tx=%llu full=%llu\n", rx, tx, full);
    return 0;
}
