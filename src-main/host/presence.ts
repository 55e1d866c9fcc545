// User names for presence. Group views name nodes, not people, so every host joins one
// host-level group (`liveobjects.hosts`) and multicasts `{ name }` whenever a member it has
// not announced itself to appears; each host thus maps node ids to user names for all
// objects at once, and object channels carry only their own protocol. A short-lived probe
// (`liveobjects doctor`) joins the group too and says so, so that nobody counts on it.
import type { GroupChannel, MemberId } from '../objects/channel/group-channel';

export const HOSTS_GROUP = 'liveobjects.hosts';
const MAX_NAME = 128;

export interface PresenceOptions {
  /** This member is a short-lived probe (`liveobjects doctor`): it announces itself as one. */
  readonly probe?: boolean;
}

export class PresenceDirectory {
  private readonly names = new Map<MemberId, string>();
  private readonly probes = new Set<MemberId>();
  private readonly listeners = new Set<() => void>();
  private announcedTo = new Set<MemberId>();
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly channel: GroupChannel,
    private readonly userName: string,
    private readonly options: PresenceOptions = {},
  ) {
    this.names.set(channel.self, userName);
    this.unsubscribe = [
      channel.onMessage((sender, data) => this.onMessage(sender, data)),
      channel.onView((members) => this.onView(members)),
    ];
    if (channel.members.length > 0) this.onView(channel.members);
  }

  /** The user name of `member`, or a short form of its node id while unknown. */
  nameOf(member: MemberId): string {
    return this.names.get(member) ?? `node ${member}`;
  }

  /** Whether `member` announced itself as a short-lived probe: it leaves within seconds, so it
   * must never be chosen to serve the membership service. */
  isProbe(member: MemberId): boolean {
    return this.probes.has(member);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe) u();
    this.listeners.clear();
    await this.channel.close();
  }

  private onView(members: readonly MemberId[]): void {
    if (!members.includes(this.channel.self)) return;
    const fresh = members.some((m) => !this.announcedTo.has(m));
    this.announcedTo = new Set(members);
    if (fresh) {
      const announcement = { name: this.userName, ...(this.options.probe && { probe: true }) };
      const body = new TextEncoder().encode(JSON.stringify(announcement));
      this.channel.send(body).catch(() => undefined);
    }
    let changed = false;
    for (const m of [...this.names.keys()]) {
      if (m !== this.channel.self && !members.includes(m)) changed = this.names.delete(m) || changed;
    }
    for (const m of [...this.probes]) if (!members.includes(m)) this.probes.delete(m);
    if (changed) this.notify();
  }

  private onMessage(sender: MemberId, data: Uint8Array): void {
    let name: unknown;
    let probe: unknown;
    try {
      ({ name, probe } = JSON.parse(new TextDecoder().decode(data)) as { name?: unknown; probe?: unknown });
    } catch {
      return;
    }
    if (typeof name !== 'string' || name.length === 0) return;
    if (probe === true) this.probes.add(sender);
    const clean = name.slice(0, MAX_NAME);
    if (this.names.get(sender) === clean) return;
    this.names.set(sender, clean);
    this.notify();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}
