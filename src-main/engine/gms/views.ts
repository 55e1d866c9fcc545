// The GMS's model of the system (D4392–4416): which nodes are up, which groups each wants, and
// the installed sequence of group views, region views and the group → region mapping. Changes
// accumulate freely; `install` applies them as one batch and bumps exactly the views whose
// content changed. Shared by the GMS server and StaticMembership so both number views alike.
import type {
  GroupView,
  MembershipState,
  MulticastAddress,
  NodeId,
  NodeInfo,
  RegionView,
} from '../membership';
import { assignMulticast, compareStrings, computeRegions, defaultMulticastRange } from './regions';
import type { MulticastRange } from './regions';

export interface InstallSummary {
  readonly epoch: number;
  readonly nodes: number;
  readonly groups: number;
  readonly regions: number;
  readonly changedGroups: readonly string[];
  readonly removedGroups: readonly string[];
  readonly changedRegions: readonly string[];
  readonly removedRegions: readonly string[];
}

/** The views that concern one node: its groups and the regions they span (incl. its own). */
export interface Relevant {
  readonly groups: readonly GroupView[];
  readonly regions: readonly RegionView[];
}

function sameMembers(a: readonly NodeInfo[], b: readonly NodeInfo[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      return y !== undefined && x.id === y.id && x.host === y.host && x.port === y.port;
    })
  );
}

function sameGroupView(a: GroupView, members: readonly NodeId[], regions: GroupView['regions']): boolean {
  return (
    a.members.length === members.length &&
    a.members.every((m, i) => m === members[i]) &&
    a.regions.length === regions.length &&
    a.regions.every((r, i) => r.region === regions[i]?.region && r.viewId === regions[i]?.viewId)
  );
}

export class ViewBook {
  private readonly nodes = new Map<NodeId, { info: NodeInfo; groups: Set<string> }>();
  private readonly groupViews = new Map<string, GroupView>();
  private readonly regionViews = new Map<string, RegionView>();
  private multicast: ReadonlyMap<string, MulticastAddress> = new Map();
  private installedEpoch = 0;
  /** Node → its region and sorted groups as of the last install (pending changes excluded). */
  private installedIndex: ReadonlyMap<NodeId, { region: string; groups: readonly string[] }> = new Map();

  constructor(private readonly range: MulticastRange = defaultMulticastRange) {}

  /** Epoch of the last install (0 before the first). */
  get epoch(): number {
    return this.installedEpoch;
  }

  get nodeCount(): number {
    return this.nodes.size;
  }

  get groupCount(): number {
    return this.groupViews.size;
  }

  get regionCount(): number {
    return this.regionViews.size;
  }

  has(id: NodeId): boolean {
    return this.nodes.has(id);
  }

  /** Adds a node or replaces its info and group set; true if anything changed. */
  setNode(info: NodeInfo, groups: Iterable<string>): boolean {
    const wanted = new Set(groups);
    const old = this.nodes.get(info.id);
    this.nodes.set(info.id, { info, groups: wanted });
    if (!old) return true;
    const sameInfo = old.info.host === info.host && old.info.port === info.port;
    return !sameInfo || old.groups.size !== wanted.size || [...wanted].some((g) => !old.groups.has(g));
  }

  removeNode(id: NodeId): boolean {
    return this.nodes.delete(id);
  }

  join(id: NodeId, group: string): boolean {
    const node = this.nodes.get(id);
    if (!node || node.groups.has(group)) return false;
    node.groups.add(group);
    return true;
  }

  leave(id: NodeId, group: string): boolean {
    return this.nodes.get(id)?.groups.delete(group) ?? false;
  }

  groupCountOf(id: NodeId): number {
    return this.nodes.get(id)?.groups.size ?? 0;
  }

  groupsOf(id: NodeId): readonly string[] {
    return [...(this.nodes.get(id)?.groups ?? [])].sort(compareStrings);
  }

  /**
   * Applies all pending changes as epoch `epoch` (must exceed the previous one). A view that
   * appears gets viewId = epoch, so view ids also survive a GMS restart; a changed view gets
   * previous + 1, which never overtakes the epoch because each install bumps a view at most once.
   */
  install(epoch: number): InstallSummary {
    if (!(epoch > this.installedEpoch))
      throw new Error(`epoch ${epoch} does not exceed ${this.installedEpoch}`);
    this.installedEpoch = epoch;
    const nodeGroups = new Map<NodeId, ReadonlySet<string>>();
    for (const [id, node] of this.nodes) nodeGroups.set(id, node.groups);
    const layout = computeRegions(nodeGroups);
    this.multicast = assignMulticast(layout.regions.keys(), this.multicast, this.range);

    const changedRegions: string[] = [];
    const removedRegions = [...this.regionViews.keys()].filter((id) => !layout.regions.has(id));
    for (const id of removedRegions) this.regionViews.delete(id);
    for (const [id, region] of layout.regions) {
      const members = region.members.map((m) => this.nodes.get(m)?.info).filter((m) => m !== undefined);
      const multicast = this.multicast.get(id);
      if (!multicast) throw new Error(`no multicast endpoint for ${id}`);
      const old = this.regionViews.get(id);
      if (old && sameMembers(old.members, members)) continue;
      const viewId = old ? old.viewId + 1 : epoch;
      this.regionViews.set(id, { region: id, viewId, groups: region.groups, members, multicast });
      changedRegions.push(id);
    }

    const changedGroups: string[] = [];
    const removedGroups = [...this.groupViews.keys()].filter((g) => !layout.groupRegions.has(g));
    for (const group of removedGroups) this.groupViews.delete(group);
    for (const [group, regionIds] of layout.groupRegions) {
      const members = regionIds.flatMap((id) => layout.regions.get(id)?.members ?? []).sort(compareStrings);
      const regions = regionIds.map((id) => ({ region: id, viewId: this.regionViews.get(id)?.viewId ?? 0 }));
      const old = this.groupViews.get(group);
      // The mapping is part of a group view: a sender stamps a view id and multicasts to the
      // regions of that view, so any change of those regions needs a new group view id.
      if (old && sameGroupView(old, members, regions)) continue;
      this.groupViews.set(group, { group, viewId: old ? old.viewId + 1 : epoch, members, regions });
      changedGroups.push(group);
    }
    const index = new Map<NodeId, { region: string; groups: readonly string[] }>();
    for (const [node, region] of layout.nodeRegion) {
      index.set(node, { region, groups: layout.regions.get(region)?.groups ?? [] });
    }
    this.installedIndex = index;
    return {
      epoch,
      nodes: this.nodes.size,
      groups: this.groupViews.size,
      regions: this.regionViews.size,
      changedGroups: changedGroups.sort(compareStrings),
      removedGroups: removedGroups.sort(compareStrings),
      changedRegions: changedRegions.sort(compareStrings),
      removedRegions: removedRegions.sort(compareStrings),
    };
  }

  /** Installed views that concern `id` (as of the last install), sorted by name. */
  relevantTo(id: NodeId): Relevant {
    const installed = this.installedIndex.get(id);
    if (!installed) return { groups: [], regions: [] };
    const groups = installed.groups.map((g) => this.groupViews.get(g)).filter((g) => g !== undefined);
    const regionIds = new Set<string>([installed.region]);
    for (const view of groups) for (const r of view.regions) regionIds.add(r.region);
    const regions = [...regionIds]
      .sort(compareStrings)
      .map((r) => this.regionViews.get(r))
      .filter((r) => r !== undefined);
    return { groups, regions };
  }

  stateFor(self: NodeInfo): MembershipState {
    return { epoch: this.installedEpoch, self, ...this.relevantTo(self.id) };
  }
}
