// The per-region transport choice: IP multicast where it arrives, unicast fan-out where it
// does not (a switch or access point that drops multicast). Every probe interval this node
//   - multicasts a small Probe into each region it sends to, whatever that region's transport,
//     so a region on unicast finds out when multicast works again;
//   - tells each sender of its own region whose probes it has not heard lately so, by a
//     unicast Unheard packet (multicast-watch.ts has the rules);
//   - re-decides its own routes from the Unheard reports it got (routes.ts: unicast at the
//     first report, back to multicast after a hold that grows when a region flaps).
// Nothing here runs per message: the sending side reads RegionRoute.unicast per datagram.

import type { MembershipState, NodeId, NodeInfo, RegionView } from '../membership';
import type { Tunables } from '../options';
import type { Scheduler } from '../scheduler/scheduler';
import type { Counters } from '../stats';
import { encodeProbe, encodeUnheard, type ProbePacket, type UnheardPacket } from '../wire/packets';
import { MulticastWatch } from './multicast-watch';
import { RegionRoutes, type RegionTransportKind } from './routes';

/** What the chooser needs of its node. */
export interface ChooserHost {
  readonly self: NodeInfo;
  readonly tun: Tunables;
  readonly sched: Scheduler;
  readonly counters: Counters;
  sendTo(buf: Uint8Array, to: NodeInfo): void;
  /** One IP multicast to the region, whatever its route. */
  multicast(buf: Uint8Array, view: RegionView): void;
  lookup(id: NodeId): NodeInfo | undefined;
}

/** One region this node sends to, as `stats().regions` reports it. */
export interface RegionTransportStats {
  readonly region: string;
  readonly transport: RegionTransportKind;
  readonly members: number;
  /** Members that reported lately that this node's multicast does not reach them. */
  readonly unheardBy: readonly NodeId[];
}

export class TransportChooser {
  readonly routes: RegionRoutes;
  private readonly watch = new MulticastWatch();
  private regions: readonly RegionView[] = [];
  private probeSeq = 0;
  private closed = false;

  constructor(private readonly host: ChooserHost) {
    const { fanout, probeIntervalMs } = host.tun;
    this.routes = new RegionRoutes(fanout, Math.max(1, probeIntervalMs));
    if (!fanout && probeIntervalMs > 0) {
      const tick = (): void => {
        if (this.closed) return;
        this.tick();
        host.sched.after(probeIntervalMs, tick);
      };
      // The first probes soon after start, so a region's members hear of this node early.
      host.sched.after(Math.min(probeIntervalMs, 100), tick);
    }
  }

  close(): void {
    this.closed = true;
  }

  /** A new membership state: the regions this node sends to, and the senders of its own. */
  onState(state: MembershipState, own: RegionView | undefined, senders: ReadonlySet<NodeId>): void {
    this.regions = state.regions;
    const self = this.host.self.id;
    const others = [...senders].filter((id) => id !== self);
    this.watch.expect(own?.region, others, performance.now());
  }

  onProbe(p: ProbePacket): void {
    if (p.sender === this.host.self.id) return;
    this.watch.heard(p.sender, p.region, p.seq, performance.now());
  }

  onUnheard(p: UnheardPacket): void {
    if (p.origin !== this.host.self.id) return this.host.counters.drop('misrouted-unheard');
    const view = this.regions.find((r) => r.region === p.region);
    // Only a member of one of my regions may move my traffic to unicast.
    if (!view?.members.some((m) => m.id === p.sender)) return this.host.counters.drop('unheard-non-member');
    this.routes.route(p.region).unheard(p.sender, performance.now());
  }

  /** The regions this node sends to, with their transport. */
  stats(): RegionTransportStats[] {
    return this.regions.map((v) => {
      const r = this.routes.get(v.region);
      return {
        region: v.region,
        transport: (r?.unicast ?? this.host.tun.fanout) ? 'unicast' : 'multicast',
        members: v.members.length,
        unheardBy: r ? [...r.unheardBy.keys()] : [],
      };
    });
  }

  /** Senders of this node's own region whose multicast it does not hear lately. */
  unheard(): NodeId[] {
    return this.watch.silent();
  }

  private tick(): void {
    const h = this.host;
    const now = performance.now();
    const self = h.self.id;
    this.probeSeq++;
    for (const v of this.regions) {
      if (!v.members.some((m) => m.id !== self)) continue;
      h.multicast(encodeProbe({ sender: self, region: v.region, viewId: v.viewId, seq: this.probeSeq }), v);
    }
    const region = this.watch.region;
    for (const { sender, heard } of this.watch.check(now, h.tun.probeIntervalMs)) {
      const to = h.lookup(sender);
      if (to && region) h.sendTo(encodeUnheard({ sender: self, region, origin: sender, heard }), to);
    }
    this.routes.tick(now, new Set(this.regions.map((v) => v.region)));
  }
}
