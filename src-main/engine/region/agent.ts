// Receiver and recovery agent for this node's own region view (D4467-4525). It composes:
//   data-path.ts    inbound streams, in-order delivery, cooperative caching, serving repairs
//   token-ring.ts   the token rings and the partition and region leaders' parts in them
//   token-visit.ts  what every member does with a partition token (compare, pull, push, fold)
//   orphans.ts      streams of senders gone without flushing, completed among the survivors
// One agent per region view: the node makes a new one at a view change, which takes over the
// old one's orphan streams.

import type { EngineContext } from '../context';
import type { NodeId, NodeInfo, RegionView } from '../membership';
import type { RecoveryState } from '../stats';
import type { NakPacket, TokenPacket } from '../wire/packets';
import { DataPath } from './data-path';
import type { Delivery } from './delivery';
import { Orphans } from './orphans';
import type { Stream } from './stream';
import { TokenRing } from './token-ring';
import { TokenVisitor } from './token-visit';
import { Topology } from './topology';

export class RegionAgent {
  readonly topo: Topology;
  /** The per-message side: the node hands it data messages directly (DataPath.onData). */
  readonly data: DataPath;
  private readonly ring: TokenRing;
  private readonly orphans: Orphans;

  constructor(
    ctx: EngineContext,
    readonly view: RegionView,
    delivery: Delivery,
    /** Whether a node id is a live sender in one of this region's groups. */
    knownSender: (id: NodeId) => boolean,
    /** Orphan streams of the previous view of this region (see orphans.ts). */
    orphans: Iterable<readonly [NodeId, Stream]> = [],
  ) {
    this.topo = new Topology(view, ctx.self.id, ctx.tun.partitionSize);
    this.data = new DataPath(ctx, view, this.topo, delivery, knownSender, {
      dropped: (sender) => this.ring.forget(sender),
      repeated: (sender) => this.ring.unquiet(sender),
    });
    this.ring = new TokenRing(
      ctx,
      view,
      this.topo,
      this.data,
      new TokenVisitor(ctx, view, this.topo, this.data),
    );
    this.orphans = new Orphans(ctx, this.data, this.ring);
    for (const [id, st] of orphans) this.orphans.adopt(id, st);
    this.ring.start();
  }

  close(): void {
    this.data.close();
    this.ring.close();
    this.orphans.close();
  }

  get streams(): ReadonlyMap<NodeId, Stream> {
    return this.data.streams;
  }

  get cached(): { messages: number; bytes: number } {
    return this.data.cached;
  }

  get recovery(): NonNullable<RecoveryState['region']> {
    return {
      region: this.view.region,
      viewId: this.view.viewId,
      rank: this.topo.rank,
      round: this.ring.round,
      tokenOut: this.ring.tokenOut,
      streams: [...this.data.streams].map(([sender, st]) => {
        const info = this.ring.reported(sender);
        return {
          sender,
          contig: st.set.contig,
          maxSeen: st.set.maxSeen,
          maxReceived: st.set.maxReceived,
          stable: st.stable,
          cached: st.store.size,
          repairTimes: st.repairedAt.size,
          ...info,
        };
      }),
    };
  }

  onToken(t: TokenPacket): void {
    this.ring.onToken(t);
  }

  /** A peer asks for messages: returns how many this member can answer from its cache. */
  serveNak(p: NakPacket, to: NodeInfo): number {
    return this.data.serveNak(p, to);
  }

  /** See Orphans.orphan. */
  orphan(sender: NodeId): void {
    this.orphans.orphan(sender);
  }

  /** Hands this view's orphan streams to the agent of the region's next view. */
  takeOrphans(isLive: (id: NodeId) => boolean): [NodeId, Stream][] {
    return this.orphans.take(isLive);
  }

  /** Whether repairs of `sender`'s stream `inc` belong to an orphan stream held here. */
  hasOrphan(sender: NodeId, inc: number): boolean {
    return this.orphans.has(sender, inc);
  }
}
