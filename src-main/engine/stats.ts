// Counters exposed by QsmNode.stats(). Plain numbers, updated in place on the hot path.

import type { RegionTransportStats } from './transport/chooser';

export class Counters {
  messagesSent = 0;
  bytesSent = 0;
  messagesDelivered = 0;
  bytesDelivered = 0;
  datagramsIn = 0;
  datagramsOut = 0;
  duplicates = 0;
  repairsSent = 0;
  repairsReceived = 0;
  retransmissions = 0;
  naksSent = 0;
  naksReceived = 0;
  tokensSent = 0;
  tokensReceived = 0;
  rounds = 0;
  maxContiguousSent = 0;
  maxContiguousReceived = 0;
  tokenRttLastMs = 0;
  tokenRttSumMs = 0;
  tokenRttMaxMs = 0;
  tokenRttCount = 0;
  heldUnknownDropped = 0;
  viewsInstalled = 0;
  /** Messages of gone senders' streams that no surviving region member had (skipped). */
  orphanGaps = 0;
  /** Exceptions thrown by message and view handlers (handler-errors.ts). */
  handlerErrors = 0;
  /** Members this node reported for holding back stability (NodeStats.stallReports). */
  stallReports = 0;
  readonly dropped: Record<string, number> = {};

  drop(reason: string): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
  }

  tokenRtt(ms: number): void {
    this.tokenRttLastMs = ms;
    this.tokenRttSumMs += ms;
    this.tokenRttCount++;
    if (ms > this.tokenRttMaxMs) this.tokenRttMaxMs = ms;
  }
}

export interface NodeStats {
  readonly id: string;
  readonly messagesSent: number;
  readonly bytesSent: number;
  readonly messagesDelivered: number;
  readonly bytesDelivered: number;
  readonly datagramsIn: number;
  readonly datagramsOut: number;
  readonly duplicates: number;
  readonly repairsSent: number;
  readonly repairsReceived: number;
  readonly retransmissions: number;
  readonly naksSent: number;
  readonly naksReceived: number;
  readonly tokensSent: number;
  readonly tokensReceived: number;
  readonly rounds: number;
  readonly maxContiguousSent: number;
  readonly maxContiguousReceived: number;
  readonly tokenRttMs: { readonly last: number; readonly avg: number; readonly max: number };
  /** Messages/bytes a sender still holds for retransmission (unacknowledged somewhere). */
  readonly senderHeldMessages: number;
  readonly senderHeldBytes: number;
  /** Sends waiting for window space. */
  readonly sendQueue: number;
  /** Messages/bytes a receiver holds (undelivered or cached for peers). */
  readonly cachedMessages: number;
  readonly cachedBytes: number;
  readonly heldUnknown: number;
  readonly heldUnknownDropped: number;
  readonly viewsInstalled: number;
  /** Messages of crashed senders that no surviving member of the region had: skipped. */
  readonly orphanGaps: number;
  /** Exceptions thrown by this node's message and view handlers (each also went to NodeOptions.onError, if given). */
  readonly handlerErrors: number;
  /** Members this node found holding back stability longer than `stabilityTimeoutMs` and
   * asked the membership service to exclude (each also went to the onStall handlers). */
  readonly stallReports: number;
  readonly dropped: Readonly<Record<string, number>>;
  readonly faultDrops: number;
  readonly timers: { readonly maxLatenessMs: number; readonly avgLatenessMs: number };
  readonly eventLoopDelayMs: { readonly mean: number; readonly max: number };
  readonly inboundQueued: readonly number[];
  /** Recovery state, for diagnosing stalls (small: one entry per region view / sender). */
  readonly recovery: RecoveryState;
  /** The regions this node sends to (its own and those its groups span), each with the
   * transport this node uses for it: IP multicast, or unicast fan-out while some member does
   * not hear its multicast (transport/chooser.ts). */
  readonly regions: readonly RegionTransportStats[];
  /** Senders of this node's own region whose multicast probes it has not heard lately: the
   * ones that send to it by unicast instead. */
  readonly multicastUnheardFrom: readonly string[];
}

export interface RecoveryState {
  /** Sending side, per region view multicast into. */
  readonly out: readonly {
    readonly region: string;
    readonly viewId: number;
    readonly assigned: number;
    readonly sent: number;
    readonly acked: number;
    readonly held: number;
    readonly pending: number;
    readonly idleMs: number;
  }[];
  /** Receiving side, for the node's own region view. */
  readonly region?: {
    readonly region: string;
    readonly viewId: number;
    readonly rank: number;
    readonly round: number;
    readonly tokenOut: boolean;
    readonly streams: readonly {
      readonly sender: string;
      readonly contig: number;
      readonly maxSeen: number;
      readonly maxReceived: number;
      readonly stable: number;
      readonly cached: number;
      /** Messages of this stream I repaired recently (rate-limit entries, freed once stable). */
      readonly repairTimes: number;
      /** Region leader's view of this sender: quiet rounds and last reported MaxContiguous. */
      readonly quietRounds?: number;
      readonly reported?: number;
    }[];
  };
}
