// How this node sends to each region it sends to: one IP multicast, or a unicast copy per
// member (fan-out) while some member does not hear its multicast. Each node decides for
// itself, per region, from the members' Unheard reports (chooser.ts): receivers take data
// from either socket, so the senders of a region need no agreement. A region goes to unicast
// at the first report and back to multicast once no member has reported for a hold time,
// which doubles each time the region flaps, so a network that passes multicast only now and
// then settles on unicast instead of switching back and forth.

import type { NodeId } from '../membership';

export type RegionTransportKind = 'multicast' | 'unicast';

/** Reports older than this many probe intervals are forgotten (members repeat theirs every
 * interval while they hear nothing). */
const REPORT_TTL_PROBES = 3;
/** A region stays on unicast this many probe intervals after the last report... */
const HOLD_PROBES = 3;
/** ...twice as long each time it goes back to unicast within FLAP_PROBES intervals of
 * returning to multicast, up to MAX_HOLD_PROBES; a region that stays on multicast that long
 * starts over from HOLD_PROBES. */
const FLAP_PROBES = 60;
const MAX_HOLD_PROBES = 192;

/** This node's transport to one region. The sending side holds it per region view and reads
 * `unicast` per datagram (one property, no lookup). */
export class RegionRoute {
  unicast: boolean;
  /** Members that said they do not hear this node's multicast, with when they last said so. */
  readonly unheardBy = new Map<NodeId, number>();
  /** The last report from any member. */
  reportedAt = -Infinity;
  /** When the region last went back to multicast. */
  multicastAt = -Infinity;
  /** How long after the last report the region stays on unicast. */
  holdMs: number;
  /** Times the region went to unicast (for diagnostics and tests). */
  switches = 0;

  constructor(
    readonly region: string,
    readonly forced: boolean,
    private readonly intervalMs: number,
  ) {
    this.unicast = forced;
    this.holdMs = HOLD_PROBES * intervalMs;
  }

  get transport(): RegionTransportKind {
    return this.unicast ? 'unicast' : 'multicast';
  }

  /** `member` reports it has not heard this node's probes lately. */
  unheard(member: NodeId, now: number): void {
    this.unheardBy.set(member, now);
    this.reportedAt = now;
    if (this.unicast) return;
    this.unicast = true;
    this.switches++;
    const flapped = now - this.multicastAt < FLAP_PROBES * this.intervalMs;
    this.holdMs = flapped
      ? Math.min(2 * this.holdMs, MAX_HOLD_PROBES * this.intervalMs)
      : HOLD_PROBES * this.intervalMs;
  }

  /** Every probe interval: forgets old reports; back to multicast after the hold. */
  tick(now: number): void {
    for (const [member, at] of this.unheardBy)
      if (now - at >= REPORT_TTL_PROBES * this.intervalMs) this.unheardBy.delete(member);
    if (this.unicast && !this.forced && now - this.reportedAt >= this.holdMs) {
      this.unicast = false;
      this.multicastAt = now;
    }
  }
}

export class RegionRoutes {
  private readonly routes = new Map<string, RegionRoute>();

  constructor(
    /** Unicast to every region whatever the members say (Tunables.fanout). */
    private readonly forced: boolean,
    private readonly intervalMs: number,
  ) {}

  /** The route to `region`, made on first use (multicast, unless forced). */
  route(region: string): RegionRoute {
    let r = this.routes.get(region);
    if (!r) this.routes.set(region, (r = new RegionRoute(region, this.forced, this.intervalMs)));
    return r;
  }

  get(region: string): RegionRoute | undefined {
    return this.routes.get(region);
  }

  /** Every probe interval: each route's tick; routes to regions no longer current go. */
  tick(now: number, current: ReadonlySet<string>): void {
    for (const [region, r] of this.routes) {
      if (current.has(region)) r.tick(now);
      else this.routes.delete(region);
    }
  }
}
