// The receiving half of the transport choice (chooser.ts): which senders of this node's own
// region it hears by multicast. Every node that sends to the region multicasts a probe into
// it every probe interval; a sender none of whose probes arrived for SILENT_PROBES intervals
// is silent, and stays silent until RECOVER_PROBES of its probes arrive again. Pure state and
// arithmetic on times passed in, so the rules are unit-tested without sockets or clocks.

import type { NodeId } from '../membership';

/** Probe intervals without a probe before a sender counts as silent. */
export const SILENT_PROBES = 3;
/** Probes a silent sender's multicast must bring before it counts as heard again. */
export const RECOVER_PROBES = 2;

interface Heard {
  /** Since when this node expects the sender's probes (it joined, or this node listened). */
  since: number;
  heardAt: number;
  /** The last probe number heard. */
  seq: number;
  silent: boolean;
  /** Probes heard since the sender became silent. */
  recovering: number;
}

export class MulticastWatch {
  private current: string | undefined;
  private readonly senders = new Map<NodeId, Heard>();
  private checkedAt = -Infinity;

  /** The region watched: this node's own. */
  get region(): string | undefined {
    return this.current;
  }

  /** This node's own region and the senders that multicast into it (itself excluded). */
  expect(region: string | undefined, senders: Iterable<NodeId>, now: number): void {
    if (region !== this.current) {
      this.senders.clear();
      this.current = region;
    }
    const current = new Set(senders);
    for (const id of this.senders.keys()) if (!current.has(id)) this.senders.delete(id);
    for (const id of current) {
      if (!this.senders.has(id))
        this.senders.set(id, { since: now, heardAt: -Infinity, seq: 0, silent: false, recovering: 0 });
    }
  }

  /** A probe of `sender`'s into `region` arrived by multicast. */
  heard(sender: NodeId, region: string, seq: number, now: number): void {
    if (region !== this.current) return;
    const h = this.senders.get(sender);
    if (!h || seq <= h.seq) return;
    h.seq = seq;
    h.heardAt = now;
    if (h.silent && ++h.recovering >= RECOVER_PROBES) h.silent = false;
  }

  /** Once per probe interval: the senders whose multicast this node does not hear, with the
   * last probe number heard from each. After a pause of this node's own (a late check: its
   * event loop stalled, or the process was stopped) nobody is judged, and every sender gets
   * SILENT_PROBES intervals again: their probes were not missing, this node was not reading. */
  check(now: number, intervalMs: number): { sender: NodeId; heard: number }[] {
    const late = now - this.checkedAt > 2 * intervalMs;
    this.checkedAt = now;
    const out: { sender: NodeId; heard: number }[] = [];
    for (const [sender, h] of this.senders) {
      if (late) {
        h.since = now;
        continue;
      }
      if (!h.silent && now - Math.max(h.heardAt, h.since) >= SILENT_PROBES * intervalMs) {
        h.silent = true;
        h.recovering = 0;
      }
      if (h.silent) out.push({ sender, heard: h.seq });
    }
    return out;
  }

  /** The senders currently silent (see check()). */
  silent(): NodeId[] {
    return [...this.senders].filter(([, h]) => h.silent).map(([id]) => id);
  }
}
