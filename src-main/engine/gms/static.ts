// Membership from a fixed table, for tests of the data path that need views without a GMS.
// A StaticMembershipTable computes views exactly as the GMS does (same ViewBook), and hands
// out one StaticMembership per node; joins and leaves install a new epoch for everyone.
import type { MembershipSource, MembershipState, NodeId, NodeInfo, StallReport } from '../membership';
import { excludeMessage, exclusionRefusal } from './exclusion';
import type { MulticastRange } from './regions';
import { ViewBook } from './views';

export interface StaticNode {
  readonly node: NodeInfo;
  readonly groups: readonly string[];
}

export interface StaticMembershipOptions {
  /** First epoch; default 1. */
  readonly epoch?: number;
  readonly multicast?: MulticastRange;
}

export class StaticMembershipTable {
  private readonly book: ViewBook;
  private readonly sources = new Map<NodeId, Set<StaticMembership>>();

  constructor(nodes: readonly StaticNode[], options: StaticMembershipOptions = {}) {
    this.book = new ViewBook(options.multicast);
    for (const { node, groups } of nodes) this.book.setNode(node, groups);
    this.book.install(options.epoch ?? 1);
  }

  get epoch(): number {
    return this.book.epoch;
  }

  /** A membership source for one node of the table. */
  source(self: NodeInfo): StaticMembership {
    if (!this.book.has(self.id)) this.book.setNode(self, []);
    const source = new StaticMembership(this, self);
    let set = this.sources.get(self.id);
    if (!set) this.sources.set(self.id, (set = new Set()));
    set.add(source);
    return source;
  }

  stateFor(self: NodeInfo): MembershipState {
    return this.book.stateFor(self);
  }

  /** Applies several changes as one epoch. */
  update(
    change: (edit: {
      join(id: NodeId, group: string): void;
      leave(id: NodeId, group: string): void;
      remove(id: NodeId): void;
    }) => void,
  ): void {
    let changed = false;
    change({
      join: (id, group) => {
        changed = this.book.join(id, group) || changed;
      },
      leave: (id, group) => {
        changed = this.book.leave(id, group) || changed;
      },
      remove: (id) => {
        changed = this.book.removeNode(id) || changed;
      },
    });
    if (!changed) return;
    this.book.install(this.book.epoch + 1);
    for (const set of this.sources.values()) for (const source of set) source.refresh();
  }

  join(id: NodeId, group: string): void {
    this.update((edit) => edit.join(id, group));
  }

  leave(id: NodeId, group: string): void {
    this.update((edit) => edit.leave(id, group));
  }

  /** Removes a node, as the GMS does when it fails. */
  remove(id: NodeId): void {
    this.update((edit) => edit.remove(id));
  }

  /** @internal */
  detach(source: StaticMembership): void {
    this.sources.get(source.self.id)?.delete(source);
  }
}

export class StaticMembership implements MembershipSource {
  private state: MembershipState;
  private readonly listeners = new Set<(state: MembershipState) => void>();
  private closed = false;

  constructor(
    private readonly table: StaticMembershipTable,
    readonly self: NodeInfo,
  ) {
    this.state = table.stateFor(self);
  }

  /** One node's source over a table of its own, when only that node is under test. */
  static of(
    nodes: readonly StaticNode[],
    self: NodeInfo,
    options?: StaticMembershipOptions,
  ): StaticMembership {
    return new StaticMembershipTable(nodes, options).source(self);
  }

  get current(): MembershipState {
    return this.state;
  }

  join(group: string): void {
    this.table.join(this.self.id, group);
  }

  leave(group: string): void {
    this.table.leave(this.self.id, group);
  }

  /** As the GMS does (exclusion.ts): removes the member if this node may ask it. */
  exclude(report: StallReport): void {
    const message = excludeMessage(report);
    if (!exclusionRefusal(this.self.id, message, this.state.regions)) this.table.remove(report.member);
  }

  onState(listener: (state: MembershipState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.table.detach(this);
  }

  /** @internal Called by the table after it installs an epoch. */
  refresh(): void {
    if (this.closed) return;
    this.state = this.table.stateFor(this.self);
    // Listeners run synchronously, like the GMS client's: tests stay deterministic.
    for (const listener of this.listeners) listener(this.state);
  }
}
