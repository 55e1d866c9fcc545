// What the engine's data path needs to know about membership, independent of where it comes
// from (the GMS client in gms/, or a fixed table in tests). Produced by the GMS as described
// in qsm-protocol.md: group views, region views (a region = the nodes with the same set of
// groups) and the mapping from each group view to the region views whose union it is.

/** Unique per process lifetime: `host:port/incarnation`. A restarted node gets a new id. */
export type NodeId = string;

export interface NodeInfo {
  readonly id: NodeId;
  /** Unicast UDP endpoint of the node (tokens, repairs, ACK/NAK, MaxContiguous). */
  readonly host: string;
  readonly port: number;
}

export interface MulticastAddress {
  readonly address: string;
  readonly port: number;
}

export interface RegionView {
  /** Stable id of the region, derived from its sorted group set. */
  readonly region: string;
  /** Increases each time the region's membership changes: the GMS epoch (wall-clock based,
   * above 2^32) at which the region (re)appeared, then +1 per change; never reused, also
   * across GMS restarts. Packets of older views are dropped, of newer ones held. */
  readonly viewId: number;
  /** The region's groups, sorted. */
  readonly groups: readonly string[];
  /** Members sorted by id; a member's index is its rank (rings and partitions follow ranks). */
  readonly members: readonly NodeInfo[];
  readonly multicast: MulticastAddress;
}

export interface GroupView {
  readonly group: string;
  readonly viewId: number;
  /** Members sorted by id. */
  readonly members: readonly NodeId[];
  /** The region views whose union is this group view (disjoint). */
  readonly regions: readonly { readonly region: string; readonly viewId: number }[];
}

/** Everything that concerns one node, as of one GMS epoch. */
export interface MembershipState {
  /** Increases with every batch the GMS installs. */
  readonly epoch: number;
  readonly self: NodeInfo;
  /** Views of the groups this node belongs to. */
  readonly groups: readonly GroupView[];
  /** This node's own region plus every region spanned by one of its groups. */
  readonly regions: readonly RegionView[];
}

/** A member found holding back stability (options.ts `stabilityTimeoutMs`): what the node
 * reports and asks the membership service to act on. */
export interface StallReport {
  /** The member that holds back stability. */
  readonly member: NodeId;
  /** The region view where it does. */
  readonly region: string;
  readonly viewId: number;
  /** The region's groups. */
  readonly groups: readonly string[];
  /** What was observed, for logs. */
  readonly reason: string;
}

/** A source of membership for one node: the GMS client, or a fixed table in tests. */
export interface MembershipSource {
  readonly self: NodeInfo;
  /** Asks to join a group; the change shows up in a later state. */
  join(group: string): void;
  leave(group: string): void;
  /** Current state, or undefined before the first one arrives. */
  readonly current: MembershipState | undefined;
  /** Called with each new state; returns an unsubscribe function. */
  onState(listener: (state: MembershipState) => void): () => void;
  /** Asks that `report.member` be excluded (a new view without it); a source that cannot
   * act on it leaves it out. */
  exclude?(report: StallReport): void;
  close(): Promise<void>;
}
