// Streams of senders gone without flushing (crashed, or excluded by the GMS). Whatever such a
// sender's messages reached, some survivors may hold and others lack: the stream stays on the
// token rings as an orphan (RECORD_ORPHAN) so the members that hold it complete it from each
// other's caches, carries over to the region's next view, and once it makes no progress is
// delivered as far as it goes, skipping what no survivor had. Separate because it is
// lifecycle, driven by view changes and a ΔT housekeeping timer, not by data or tokens.

import type { EngineContext } from '../context';
import type { NodeId } from '../membership';
import type { DataPath } from './data-path';
import type { Stream } from './stream';
import type { TokenRing } from './token-ring';

/** Intervals an orphan stream may go without progress before its holder gives up on the
 * gaps nobody filled: long enough for pushes to travel a partition ring several times. */
function orphanIdleLimit(partitionSize: number): number {
  return Math.max(10, 2 * partitionSize + 2);
}

export class Orphans {
  private timer = false;
  private closed = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly data: DataPath,
    private readonly ring: TokenRing,
  ) {}

  close(): void {
    this.closed = true;
  }

  /** A sender gone from the region's groups: its stream becomes an orphan if anything of it
   * is still undelivered or may be needed by another member; else it is forgotten. */
  orphan(sender: NodeId): void {
    const st = this.data.streams.get(sender);
    if (!st || st.orphan) return;
    if (st.store.size === 0 && st.set.contig >= st.set.maxSeen) return this.data.dropSender(sender);
    this.adopt(sender, st);
  }

  /** Hands this view's orphan streams to the agent of the region's next view. */
  take(isLive: (id: NodeId) => boolean): [NodeId, Stream][] {
    const out: [NodeId, Stream][] = [];
    for (const [id, st] of this.data.streams) {
      if (id === this.ctx.self.id || isLive(id)) continue;
      if (st.orphan || st.store.size > 0 || st.set.contig < st.set.maxSeen) out.push([id, st]);
    }
    return out;
  }

  /** Whether repairs of `sender`'s stream `inc` belong to an orphan stream held here. */
  has(sender: NodeId, inc: number): boolean {
    const st = this.data.streams.get(sender);
    return st !== undefined && st.orphan && st.inc === inc;
  }

  adopt(sender: NodeId, st: Stream): void {
    st.orphan = true;
    st.idle = 0;
    st.quietAt = -1;
    // Partition prefixes of another view's layout mean nothing here; the region-wide stable
    // prefix still holds (every survivor had it).
    st.partContig = [];
    st.repairedAt.clear();
    this.data.streams.set(sender, st);
    this.ring.forget(sender);
    if (!this.timer) {
      this.timer = true;
      const tick = (): void => {
        if (this.closed) return;
        if (this.tick()) this.ctx.sched.after(this.ctx.tun.tokenIntervalMs, tick);
        else this.timer = false;
      };
      this.ctx.sched.after(this.ctx.tun.tokenIntervalMs, tick);
    }
  }

  /** Every ΔT while orphans exist: an orphan that made no progress here (and served no
   * repairs) for a while is finished: what this member has is delivered in order, skipping
   * the gaps no survivor could fill, and the stream is forgotten. Returns whether any remain. */
  private tick(): boolean {
    let any = false;
    const limit = orphanIdleLimit(this.ctx.tun.partitionSize);
    for (const [id, st] of this.data.streams) {
      if (!st.orphan) continue;
      // contig and maxSeen only grow, so their sum changes exactly when either does.
      const mark = st.set.contig + st.set.maxSeen;
      if (mark !== st.progressMark) {
        st.progressMark = mark;
        st.idle = 0;
      } else st.idle++;
      if (st.idle < limit) {
        any = true;
        continue;
      }
      this.data.deliverAllHeld(id, st);
      this.data.dropSender(id);
    }
    return any;
  }
}
