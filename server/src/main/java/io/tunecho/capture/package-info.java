/**
 * Packet capture to a pcap file that tcpdump and Wireshark read: {@link io.tunecho.capture.PcapCapture} implements
 * the pipeline's capture tap, started and stopped from the command line or the admin API. May use {@code packet}.
 */
package io.tunecho.capture;
