// One copy of each distinct name and list in the views a node holds. Decoding the GMS's JSON
// makes new strings and arrays for every group view: with 10 000 groups in one region, a
// node held 10 000 copies of its own id, of the region id and of the same member and region
// lists (a heap snapshot of an idle node: 1.4 KB of state per group), and every major GC
// marks all of it. Views rebuilt here keep only the fields the engine reads.

import type { GroupView, NodeInfo, RegionView } from '../membership';

type RegionRefs = GroupView['regions'];

export class ViewInterner {
  private readonly strings = new Map<string, string>();
  private readonly names = new Map<string, readonly string[]>();
  private readonly refs = new Map<string, RegionRefs>();
  private readonly nodes = new Map<string, readonly NodeInfo[]>();

  /** Entries held: the caller starts afresh (clear) when this outgrows what it holds. */
  get size(): number {
    return this.strings.size + this.names.size + this.refs.size + this.nodes.size;
  }

  clear(): void {
    this.strings.clear();
    this.names.clear();
    this.refs.clear();
    this.nodes.clear();
  }

  group(v: GroupView): GroupView {
    return {
      group: this.str(v.group),
      viewId: v.viewId,
      members: this.list(v.members),
      regions: this.regionRefs(v.regions),
    };
  }

  region(v: RegionView): RegionView {
    return {
      region: this.str(v.region),
      viewId: v.viewId,
      groups: this.list(v.groups),
      members: this.nodeList(v.members),
      multicast: { address: v.multicast.address, port: v.multicast.port },
    };
  }

  private str(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  private list(names: readonly string[]): readonly string[] {
    return once(this.names, JSON.stringify(names), () => names.map((n) => this.str(n)));
  }

  private regionRefs(refs: RegionRefs): RegionRefs {
    const key = JSON.stringify(refs.map((r) => [r.region, r.viewId]));
    return once(this.refs, key, () => refs.map((r) => ({ region: this.str(r.region), viewId: r.viewId })));
  }

  private nodeList(members: readonly NodeInfo[]): readonly NodeInfo[] {
    const key = JSON.stringify(members.map((m) => [m.id, m.host, m.port]));
    return once(this.nodes, key, () =>
      members.map((m) => ({ id: this.str(m.id), host: m.host, port: m.port })),
    );
  }
}

/** The value `map` holds for `key`, made (and kept) on first use. */
function once<T>(map: Map<string, T>, key: string, make: () => T): T {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make()));
  return v;
}
