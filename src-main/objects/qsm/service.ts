// The engine side of the qsm objects: one QSM node per GMS address for the whole host
// process, shared by every channel proxy. Joins are reference-counted so a group is left
// when the last user releases it; deliveries and views are demultiplexed per group. When the
// membership service moves (a takeover, a merge), the same node is retargeted and every
// address that named it keeps naming it, so objects opened later reach it too.
import type { HandlerErrorHook, MembershipState, NodeId, StartedNode, StartNodeOptions } from '../../engine';
import type { GmsConnection } from '../../engine/gms';
import { startNode } from '../../engine';
import { probeGms } from '../../engine/gms';
import { errorText } from '../../../src-shared/util/error-text';

export interface GmsAddress {
  readonly host: string;
  readonly port: number;
}

export type EngineTunables = Omit<StartNodeOptions, 'gms' | 'join' | 'onError'>;

export interface QsmServiceOptions {
  /** Passed to every node this service starts (token interval, bind address…). */
  readonly tunables?: EngineTunables;
  /** Gets what the handlers of every node this service starts throw (NodeOptions.onError). */
  readonly onError?: HandlerErrorHook;
}

type MessageListener = (sender: NodeId, data: Uint8Array) => void;
type ViewListener = (members: readonly NodeId[]) => void;

/** One use of a group by one proxy; release() leaves the group once nobody uses it. */
export interface GroupLease {
  readonly group: string;
  readonly self: NodeId;
  /** The group's current members (sorted node ids); empty until the join is installed. */
  readonly members: readonly NodeId[];
  send(data: Uint8Array): Promise<void>;
  onMessage(listener: MessageListener): () => void;
  onView(listener: ViewListener): () => void;
  /**
   * Claims the group for a protocol that identifies members by node id (the checkpointed
   * channel): a second claim in this process fails until the first is returned.
   */
  claim(what: string): () => void;
  release(): void;
}

interface GroupState {
  refs: number;
  /** Updated before any listener of the view is called (the node's first view handler). */
  members: readonly NodeId[];
}

const EMPTY: readonly NodeId[] = [];

/** A started node and its per-group bookkeeping. */
export class SharedNode {
  private readonly groups = new Map<string, GroupState>();
  private readonly claims = new Map<string, string>();
  private closed = false;

  constructor(readonly started: StartedNode) {
    started.node.onView((state) => this.onState(state));
  }

  get id(): NodeId {
    return this.started.node.id;
  }

  /** The GMS the node is registered with (or registering with) now. */
  get gms(): GmsAddress {
    return this.started.membership.target;
  }

  /** Moves the node, with its groups and objects, to the GMS at `gms`. */
  retarget(gms: GmsAddress): void {
    this.started.membership.retarget(gms);
  }

  onConnection(listener: (connection: GmsConnection) => void): () => void {
    return this.started.membership.onConnection(listener);
  }

  /** Current members of `group` as this node last saw them (empty when not joined). */
  members(group: string): readonly NodeId[] {
    return this.groups.get(group)?.members ?? EMPTY;
  }

  lease(group: string): GroupLease {
    if (this.closed) throw new Error('the QSM node is closed');
    let g = this.groups.get(group);
    if (!g) {
      g = { refs: 0, members: this.viewOf(this.started.node.view, group) };
      this.groups.set(group, g);
      this.started.node.join(group);
    }
    g.refs++;
    const state = g;
    let released = false;
    // Every listener is the node's own handler, so one that throws is counted and reported
    // by the engine (NodeOptions.onError) and keeps nothing from the others.
    const subscriptions = new Set<() => void>();
    const subscribe = (unsubscribe: () => void): (() => void) => {
      subscriptions.add(unsubscribe);
      return () => {
        unsubscribe();
        subscriptions.delete(unsubscribe);
      };
    };
    const node = this.started.node;
    return {
      group,
      self: node.id,
      get members() {
        return state.members;
      },
      send: (data) =>
        released ? Promise.reject(new Error(`group ${group} was left`)) : node.send(group, data),
      // The node hands this group's messages straight to the listener (no lookup by name).
      onMessage: (l) => subscribe(node.onGroupMessage(group, l)),
      onView: (l) => {
        let last = state.members;
        return subscribe(
          node.onView(() => {
            if (state.members === last) return;
            last = state.members;
            l(last);
          }),
        );
      },
      claim: (what) => {
        const holder = this.claims.get(group);
        if (holder !== undefined) {
          throw new Error(`group ${group} is already used by ${holder} in this process`);
        }
        this.claims.set(group, what);
        let returned = false;
        return () => {
          if (returned) return;
          returned = true;
          if (this.claims.get(group) === what) this.claims.delete(group);
        };
      },
      release: () => {
        if (released) return;
        released = true;
        for (const unsubscribe of subscriptions) unsubscribe();
        subscriptions.clear();
        if (--state.refs > 0 || this.groups.get(group) !== state) return;
        this.groups.delete(group);
        if (!this.closed) node.leave(group);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.groups.clear();
    await this.started.close();
  }

  private viewOf(state: MembershipState | undefined, group: string): readonly NodeId[] {
    return state?.groups.find((g) => g.group === group)?.members ?? EMPTY;
  }

  private onState(state: MembershipState): void {
    for (const [group, g] of this.groups) {
      const members = this.viewOf(state, group);
      if (!sameMembers(members, g.members)) g.members = members;
    }
  }
}

function sameMembers(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

function addressKey(gms: GmsAddress): string {
  return `${gms.host}:${gms.port}`;
}

/** The QSM nodes of one host process, one per GMS address, started on first use. */
export class QsmService {
  private readonly nodes = new Map<string, Promise<SharedNode>>();
  private closed = false;

  constructor(private readonly options: QsmServiceOptions = {}) {}

  /** The node registered with `gms`, started (and registered) on first use. */
  node(gms: GmsAddress): Promise<SharedNode> {
    if (this.closed) return Promise.reject(new Error('the QSM service is closed'));
    const key = addressKey(gms);
    let p = this.nodes.get(key);
    if (!p) {
      p = this.start(gms).then(
        (started) => new SharedNode(started),
        (error: unknown) => {
          this.nodes.delete(key);
          throw new Error(`cannot reach the membership service at ${key}: ${errorText(error)}`, {
            cause: error,
          });
        },
      );
      this.nodes.set(key, p);
    }
    return p;
  }

  /** Fails at once when nothing listens at the address, rather than retrying until a timeout. */
  private async start(gms: GmsAddress): Promise<StartedNode> {
    const { tunables, onError } = this.options;
    const probe = await probeGms(gms.host, gms.port, undefined, tunables?.packetKey);
    if (probe.kind === 'absent')
      throw new Error('nothing listens there (is a GMS or another Live Objects instance running?)');
    if (probe.kind === 'other') throw new Error(`it does not answer as a GMS (${probe.reason})`);
    return startNode({ ...tunables, gms, onError });
  }

  async lease(gms: GmsAddress, group: string): Promise<GroupLease> {
    return (await this.node(gms)).lease(group);
  }

  /**
   * Makes `alias` name the node registered with `gms`: the host's default platform names a
   * fixed address that stands for whichever membership service the host found or serves.
   */
  alias(alias: GmsAddress, gms: GmsAddress): void {
    const node = this.nodes.get(addressKey(gms));
    if (!node) throw new Error(`no QSM node is registered with ${addressKey(gms)}`);
    this.nodes.set(addressKey(alias), node);
  }

  /**
   * Moves `node` to the GMS at `to` (same node, groups and objects). Every address that named
   * it still does, and `to` names it from now on.
   */
  retarget(node: SharedNode, to: GmsAddress): void {
    if (this.closed) return;
    node.retarget(to);
    this.nodes.set(addressKey(to), Promise.resolve(node));
  }

  async close(): Promise<void> {
    this.closed = true;
    const nodes = new Set(this.nodes.values());
    this.nodes.clear();
    await Promise.all([...nodes].map(async (p) => (await p.catch(() => undefined))?.close()));
  }
}
