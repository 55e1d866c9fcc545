// Tunables and their defaults. Values not stated by the papers are our choices (see docs/engine.md).

import type { FaultOptions } from './transport/faults';

export interface Tunables {
  /** Local interface for IP multicast. */
  readonly iface: string;
  /** Unicast copy per region member instead of IP multicast. */
  readonly fanout: boolean;
  /** Partition size k (D4467). */
  readonly partitionSize: number;
  /** ΔT: the region leader releases a token this often (D: 1-5 tokens/s). */
  readonly tokenIntervalMs: number;
  /** A region token not back after this many intervals is presumed lost. */
  readonly tokenTimeoutRounds: number;
  /** Flow control: bound on unacknowledged bytes / messages held by a sender. */
  readonly windowBytes: number;
  readonly windowMessages: number;
  /** Largest payload accepted by send(). */
  readonly maxPayload: number;
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
  readonly socketBufferBytes: number;
  readonly multicastTtl: number;
  readonly faults?: FaultOptions;
}

export const DEFAULTS: Tunables = {
  iface: '127.0.0.1',
  fanout: false,
  partitionSize: 5,
  tokenIntervalMs: 250,
  tokenTimeoutRounds: 4,
  windowBytes: 4 * 1024 * 1024,
  windowMessages: 16_384,
  maxPayload: 60_000,
  sendRate: 0,
  repairsPerToken: 512,
  unknownHoldMs: 2000,
  unknownHoldPackets: 8192,
  reconfigPauseMs: 50,
  stallRounds: 3,
  socketBufferBytes: 8 * 1024 * 1024,
  multicastTtl: 1,
};
