// What the sender, receiver and recovery parts share: identity, tunables, counters, the
// scheduler, and the ways to send. Implemented by QsmNode.

import type { NodeId, NodeInfo, RegionView } from './membership';
import type { Scheduler } from './scheduler/scheduler';
import type { Counters } from './stats';
import type { Tunables } from './options';
import type { DataMsg } from './wire/packets';

/** A repair to send when the outbound feed has room. Consecutive jobs for one destination,
 * origin and region view are packed into one datagram when it is built. */
export interface RepairJob {
  /** Original sender of the message. */
  readonly origin: NodeId;
  readonly region: string;
  readonly viewId: number;
  /** The origin's stream incarnation. */
  readonly inc: number;
  readonly msg: DataMsg;
  /** Unicast destination, or the whole region (a sender retransmitting a region-wide loss). */
  readonly to: NodeInfo | RegionView;
}

export interface EngineContext {
  readonly self: NodeInfo;
  readonly tun: Tunables;
  readonly counters: Counters;
  readonly sched: Scheduler;
  sendTo(buf: Uint8Array, to: NodeInfo): void;
  lookup(id: NodeId): NodeInfo | undefined;
  queueRepair(job: RepairJob): void;
  /** Whether (region, viewId) is this node's own region view, where loopback() delivers. */
  isOwnRegion(region: string, viewId: number): boolean;
  /** The sender's own copy of a multicast into its own region view (the caller checked
   * isOwnRegion): no reliance on IP loopback. `msg` is the agent's to keep (its payload is a
   * copy of the sender's). */
  loopback(inc: number, msg: DataMsg): void;
  /** This node's own message `seq` of stream `inc` in a region view, while its sender holds
   * it (payload copied): the agent keeps no copy of its own stream. */
  ownMessage(region: string, viewId: number, inc: number, seq: number): DataMsg | undefined;
  /** `member` holds back stability in region view `view` (options.ts stabilityTimeoutMs):
   * counted, told to the node's stall handlers, and its exclusion asked of the membership. */
  reportStall(member: NodeId, view: RegionView, reason: string): void;
}
