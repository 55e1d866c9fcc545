// Tunables and their defaults. Values not stated by the papers are our choices (see docs/engine.md).

import type { FaultOptions } from './transport/faults';
import { MAX_DATAGRAM } from './wire/packets';

export interface Tunables {
  /** Local interface for IP multicast. */
  readonly iface: string;
  /** Unicast copy per region member instead of IP multicast, for every region (else each
   * region's transport is chosen by multicast probes: transport/chooser.ts). */
  readonly fanout: boolean;
  /** MTU of the interface (bytes): off loopback, no datagram exceeds `mtu - 28` (IPv4 and UDP
   * headers) unless `packetBytes` says otherwise. */
  readonly mtu: number;
  /** A node multicasts a probe into each region it sends to this often; members that hear
   * none from it for 3 intervals tell it, and it sends to that region by unicast fan-out
   * until they hear its probes again (transport/chooser.ts). 0 = no probes: IP multicast
   * (unless `fanout`). */
  readonly probeIntervalMs: number;
  /** Partition size k (D4467). */
  readonly partitionSize: number;
  /** ΔT: the region leader releases a token this often (D: 1-5 tokens/s). */
  readonly tokenIntervalMs: number;
  /** Under load (new messages reaching the region leader at ≥ 1024 per ΔT) the next round
   * starts this soon after the previous one started; ≥ tokenIntervalMs: a fixed rate. */
  readonly tokenBusyIntervalMs: number;
  /** A region token not back after this many intervals is presumed lost. */
  readonly tokenTimeoutRounds: number;
  /** Flow control: bound on unacknowledged bytes / messages held by a sender. */
  readonly windowBytes: number;
  readonly windowMessages: number;
  /** Largest payload accepted by send(). */
  readonly maxPayload: number;
  /** Data and repair datagrams pack messages up to this many bytes, and no datagram is larger
   * (0 = 32 KiB for packing on a loopback interface, where single datagrams may reach
   * MAX_DATAGRAM; `mtu - 28` otherwise, so datagrams are never IP-fragmented). */
  readonly packetBytes: number;
  /** Bound on sends waiting for window space: beyond it send() rejects (SendQueueFullError). */
  readonly maxQueuedSends: number;
  /** A graceful leave or close waits at most this long for the node's own messages to
   * become stable at the remaining members. */
  readonly leaveFlushMs: number;
  /** New multicasts per second per node (0 = as fast as the socket takes them). */
  readonly sendRate: number;
  /** Repair packets (pushes + pull answers) sent per sender record per token. */
  readonly repairsPerToken: number;
  /** Packets from unknown senders/regions/views are held this long in case a view is coming. */
  readonly unknownHoldMs: number;
  readonly unknownHoldPackets: number;
  /** Senders suspend new multicasts this long after their regions change. */
  readonly reconfigPauseMs: number;
  /** Sender retransmits the oldest unacknowledged messages after this many quiet intervals. */
  readonly stallRounds: number;
  /** A receiver NAKs the sender directly this long after a gap shows in its stream, rather
   * than waiting for the token (region/gap-naker.ts); 0 = off, the papers' behaviour. */
  readonly fastNakMs: number;
  /** A member that holds back stability this long while the others progress is reported and
   * its exclusion asked of the membership service: a region or partition leader whose token
   * ring stops coming back finds the member that does not forward it (region/ring-probe.ts),
   * and a sender that hears no MaxContiguous from a region for twice this long names the
   * region's leader. 0 = never. */
  readonly stabilityTimeoutMs: number;
  readonly socketBufferBytes: number;
  readonly multicastTtl: number;
  readonly faults?: FaultOptions;
}

export const DEFAULTS: Tunables = {
  iface: '127.0.0.1',
  fanout: false,
  mtu: 1500,
  probeIntervalMs: 1000,
  partitionSize: 5,
  tokenIntervalMs: 200,
  tokenBusyIntervalMs: 25,
  tokenTimeoutRounds: 4,
  windowBytes: 32 * 1024 * 1024,
  windowMessages: 65_536,
  maxPayload: 60_000,
  packetBytes: 0,
  maxQueuedSends: 10_000,
  leaveFlushMs: 3000,
  sendRate: 0,
  repairsPerToken: 4096,
  unknownHoldMs: 2000,
  unknownHoldPackets: 8192,
  reconfigPauseMs: 50,
  stallRounds: 3,
  fastNakMs: 3,
  stabilityTimeoutMs: 10_000,
  socketBufferBytes: 8 * 1024 * 1024,
  multicastTtl: 1,
};

/** IPv4 (20) and UDP (8) headers: what an MTU leaves for a datagram's payload. */
export const IP_UDP_HEADERS = 28;

function loopback(tun: Tunables): boolean {
  return tun.iface.startsWith('127.');
}

/** Datagram size to pack data and repairs up to: 32 KiB on loopback (its MTU is 64 KiB; per
 * datagram costs, syscalls and callbacks on both sides, dominate there: 32 KiB cut CPU per
 * message by ~30% against 8 KiB with 4 receivers), else what the interface's MTU carries. */
export function packetLimit(tun: Tunables): number {
  if (tun.packetBytes > 0) return tun.packetBytes;
  return loopback(tun) ? 32_768 : tun.mtu - IP_UDP_HEADERS;
}

/** The largest datagram this node sends: a message too large for it travels as fragments,
 * tokens and NAKs split into several datagrams. Off loopback (or with `packetBytes` set) the
 * packet limit, so nothing is IP-fragmented; on loopback the wire format's MAX_DATAGRAM. */
export function datagramLimit(tun: Tunables): number {
  if (tun.packetBytes > 0 || !loopback(tun)) return packetLimit(tun);
  return MAX_DATAGRAM;
}
