#!/usr/bin/env python3
"""Writes crafted packets straight into a TUN interface: an AF_PACKET socket bound to the interface hands them to
the TUN's reader (tunecho) without the kernel's IP checks, as traffic nobody designed would arrive. Bounded by a
count and a time. Prints one line per kind: how many were sent.

    hostile.py IFACE COUNT SECONDS SUBNET [--hosts A,B,...] [--seed N] [--rate PPS] [--only KIND,...]

SUBNET is the first three octets of the interface's /24 (198.18.80); the prober is SUBNET.1, the targets are the
--hosts addresses (default SUBNET.2). --rate paces the packets (default: as fast as it can write, which overflows
the interface's queue of any responder). --only sends only the named kinds (see kinds() below, plus "echo_to_host":
valid echo requests to the hosts, which the overload test uses). Only standard library: runs under any python3.
"""
import os
import random
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(src, dst, proto, payload, ttl=64, ident=None, frag=0x4000, ihl=5, options=b"", total=None, fix=True):
    ident = random.randrange(65536) if ident is None else ident
    total = 4 * ihl + len(payload) if total is None else total
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total & 0xFFFF, ident, frag, ttl, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst)) + options
    if fix:
        hdr = hdr[:10] + struct.pack("!H", csum(hdr[:4 * ihl] if len(hdr) >= 4 * ihl else hdr)) + hdr[12:]
    return hdr + payload


def icmp(typ, code, rest=b"\x12\x34\x00\x01", data=b"x" * 32, good=True):
    body = struct.pack("!BBH", typ, code, 0) + rest + data
    c = csum(body) if good else (csum(body) ^ 0x5A5A)
    return body[:2] + struct.pack("!H", c) + body[4:]


def udp(src, dst, sport, dport, data=b"probe"):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, len(seg))
    return seg[:6] + struct.pack("!H", csum(pseudo + seg)) + seg[8:]


def tcp(src, dst, sport, dport, flags=0x02, seq=None):
    seq = random.randrange(1 << 32) if seq is None else seq
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags, 64240, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(seg))
    return seg[:16] + struct.pack("!H", csum(pseudo + seg)) + seg[18:]


def kinds(net, hosts):
    """Each kind: (name, answered by design, a function that builds one packet)."""
    me = net + ".1"
    bcast = net + ".255"

    def host():
        return random.choice(hosts)

    def echo(src, dst, **kw):
        return ip4(src, dst, 1, icmp(8, 0), **kw)

    return [
        ("bad_ip_checksum", False, lambda: (lambda p: p[:10] + b"\xde\xad" + p[12:])(echo(me, host()))),
        ("bad_icmp_checksum", False, lambda: ip4(me, host(), 1, icmp(8, 0, good=False))),
        ("truncated", False, lambda: echo(me, host())[:random.randrange(1, 20)]),
        ("total_length_too_long", False, lambda: echo(me, host(), total=1400)),
        ("total_length_too_short", False, lambda: echo(me, host(), total=12)),
        ("bad_ihl", False, lambda: echo(me, host(), ihl=4)),
        ("ihl_past_the_end", False, lambda: b"\x4f" + echo(me, host())[1:30]),
        ("bad_version", False, lambda: b"\x75" + echo(me, host())[1:]),
        ("oversized", False, lambda: ip4(me, host(), 1, icmp(8, 0, data=b"o" * 1400), total=65535)),
        ("icmp_type", False, lambda: ip4(me, host(), 1, icmp(random.choice([t for t in range(256) if t != 8]),
                                                           random.randrange(16)))),
        ("echo_code_not_0", False, lambda: ip4(me, host(), 1, icmp(8, random.randrange(1, 256)))),
        ("echo_from_broadcast", False, lambda: echo(bcast, host())),
        ("echo_from_multicast", False, lambda: echo("224.0.0.%d" % random.randrange(1, 255), host())),
        ("echo_from_loopback", False, lambda: echo("127.0.0.%d" % random.randrange(1, 255), host())),
        ("echo_from_zero_net", False, lambda: echo("0.0.0.%d" % random.randrange(1, 255), host())),
        ("echo_from_itself", False, lambda: (lambda h: echo(h, h))(host())),
        ("echo_to_broadcast", False, lambda: echo(me, bcast)),
        ("echo_to_multicast", False, lambda: echo(me, "224.0.0.1")),
        ("echo_to_network", False, lambda: echo(me, net + ".0")),
        ("echo_to_unanswered", False, lambda: echo(me, "203.0.113.%d" % random.randrange(1, 255))),
        ("bad_options", False, lambda: ip4(me, host(), 1, icmp(8, 0), ihl=6, options=b"\x07\x00\x04\x00")),
        ("source_route", False, lambda: ip4(me, host(), 1, icmp(8, 0), ihl=7,
                                              options=b"\x83\x07\x04" + socket.inet_aton(net + ".9") + b"\x00")),
        ("fragment_never_completed", False, lambda: ip4(me, host(), 1, icmp(8, 0, data=b"f" * 64),
                                                         frag=0x2000 | random.randrange(0, 64))),
        ("unhandled_protocol", False, lambda: ip4(me, host(), random.choice([47, 50, 132]), b"z" * 24)),
        ("udp_bad_checksum", False, lambda: (lambda p: p[:26] + b"\xbe\xef" + p[28:])(
            ip4(me, host(), 17, udp(me, host(), 40000, 53)))),
        ("udp_to_host", True, lambda: (lambda h: ip4(me, h, 17, udp(me, h, 40000, random.randrange(33434, 33534))))(
            host())),
        ("tcp_syn_to_host", True, lambda: (lambda h: ip4(me, h, 6, tcp(me, h, random.randrange(1024, 65535),
                                                                       random.choice([22, 23, 80]))))(host())),
        ("tcp_rst_to_host", False, lambda: (lambda h: ip4(me, h, 6, tcp(me, h, 40001, 80, flags=0x04)))(host())),
        ("ipv6_malformed", False, lambda: b"\x60" + os.urandom(random.randrange(1, 60))),
        ("one_byte", False, lambda: b"\x45"),
    ]


def extra_kinds(net, hosts):
    """Kinds sent only when --only names them."""
    me = net + ".1"
    return [
        ("echo_to_host", True, lambda: ip4(me, random.choice(hosts), 1, icmp(8, 0, rest=struct.pack(
            "!HH", random.randrange(65536), random.randrange(65536)), data=b"e" * 56))),
    ]


def main():
    args = sys.argv[1:]
    if len(args) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    iface, count, seconds, net = args[0], int(args[1]), float(args[2]), args[3]
    hosts = [net + ".2"]
    seed = 1
    if "--hosts" in args:
        hosts = args[args.index("--hosts") + 1].split(",")
    if "--seed" in args:
        seed = int(args[args.index("--seed") + 1])
    rate = float(args[args.index("--rate") + 1]) if "--rate" in args else 0.0
    random.seed(seed)
    table = kinds(net, hosts)
    if "--only" in args:
        wanted = args[args.index("--only") + 1].split(",")
        known = {k[0]: k for k in table + extra_kinds(net, hosts)}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            print("unknown kinds: %s" % ", ".join(unknown), file=sys.stderr)
            sys.exit(2)
        table = [known[w] for w in wanted]
    s4 = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP))
    s4.bind((iface, ETH_P_IP))
    sent = {name: 0 for name, _, _ in table}
    errors = 0
    start = time.monotonic()
    deadline = start + seconds
    n = 0
    while n < count and time.monotonic() < deadline:
        if rate > 0 and n % 64 == 0:
            ahead = start + n / rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
        name, _, build = table[n % len(table)]
        pkt = build()
        proto = ETH_P_IPV6 if pkt[:1] and pkt[0] >> 4 == 6 else ETH_P_IP
        try:
            s4.sendto(pkt, (iface, proto))
            sent[name] += 1
        except OSError:
            errors += 1
        n += 1
    for name, answered, _ in table:
        print("%s %d %s" % (name, sent[name], "answered" if answered else "bad"))
    print("send_errors %d -" % errors)


if __name__ == "__main__":
    main()
