// Room in V8's heap limit for the datagrams an engine allocates. The setting is process-wide,
// so the engine library never makes it: an entry point that runs engine nodes and owns its
// process chooses to hold headroom here (cli/commands/node.ts, host/host.ts).
//
// V8 (Node 20) counts external memory allocated since the last mark-compact (ArrayBuffers:
// every datagram libuv receives is one, and so is a sender's copy of what it delivers to
// itself) against the old generation's limit, which it sets at most 4 times the live heap.
// An engine's live heap is small (8-12 MB with one group), so at ~300 MB/s of datagrams a
// process left to V8 starts a mark-compact every few tens of ms: in unpaced 5-second runs
// 59-173 at the sender and 13-85 at each receiver, 0.16-0.6 s of pauses per process
// (--trace-gc). The growing percentage is a heap setting V8 reads again at every
// mark-compact, so it can be set at run time: a process holding headroom H gets a limit of
// at least H above its live heap (the percentage is recomputed after each mark-compact),
// which cut those runs to 12-33 mark-compacts per process. Bigger heaps (many groups, a full
// application) already get that room from V8's own factor and are left alone.

import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/** The headroom the entry points hold: room for ~0.2 s of datagrams at ~300 MB/s. */
export const DEFAULT_HEAP_HEADROOM_BYTES = 64 * 1024 * 1024;
/** The largest growing factor V8 picks by itself (its kMaxGrowingFactor, 4), as a percentage. */
const V8_MAX_PERCENT = 300;
/** A ceiling for tiny heaps (a fresh process): a factor of 21. */
const MAX_PERCENT = 2000;

/** The heap growing percentage giving `headroomBytes` above a live heap of `liveBytes`, or 0
 * where V8's own factor gives that much already (0 restores V8's dynamic choice). */
export function growingPercentFor(liveBytes: number, headroomBytes: number): number {
  if (headroomBytes <= 0 || liveBytes <= 0) return 0;
  const percent = Math.ceil((100 * headroomBytes) / liveBytes);
  return percent <= V8_MAX_PERCENT ? 0 : Math.min(MAX_PERCENT, percent);
}

/** Where the setting goes, and where the live heap comes from (tests replace both). */
export interface HeapControl {
  setGrowingPercent(percent: number): void;
  liveBytes(): number;
  /** Calls `fn` after every mark-compact until the returned function is called. */
  onMarkCompact(fn: () => void): () => void;
}

export const v8HeapControl: HeapControl = {
  setGrowingPercent: (percent) => setFlagsFromString(`--heap-growing-percent=${percent}`),
  liveBytes: () => getHeapStatistics().used_heap_size,
  onMarkCompact(fn) {
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) return fn();
      }
    });
    observer.observe({ entryTypes: ['gc'] });
    return () => observer.disconnect();
  },
};

/** True when the process was started with its own growing percentage: it is left alone. */
export function userSetsGrowingPercent(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env['NODE_OPTIONS'] ?? '',
): boolean {
  const named = (s: string): boolean => /--heap[-_]growing[-_]percent/.test(s);
  return execArgv.some(named) || named(nodeOptions);
}

/** Process-wide: every hold in the process keeps its headroom; the largest applies. */
export class HeapHeadroom {
  private readonly holds = new Map<symbol, number>();
  private applied = 0;
  private stopWatching: (() => void) | undefined;

  constructor(
    private readonly control: HeapControl = v8HeapControl,
    private readonly enabled: boolean = !userSetsGrowingPercent(),
  ) {}

  /** Keeps at least `bytes` of room above the live heap until the returned release is called
   * (0 or less: no hold). */
  hold(bytes: number): () => void {
    if (!this.enabled || bytes <= 0) return () => undefined;
    const key = Symbol('headroom');
    this.holds.set(key, bytes);
    this.stopWatching ??= this.control.onMarkCompact(() => this.update());
    this.update();
    return () => {
      if (!this.holds.delete(key)) return;
      if (this.holds.size === 0) {
        this.stopWatching?.();
        this.stopWatching = undefined;
      }
      this.update();
    };
  }

  /** The percentage currently set (0: V8's own). */
  get percent(): number {
    return this.applied;
  }

  private update(): void {
    const headroom = Math.max(0, ...this.holds.values());
    const percent = growingPercentFor(this.control.liveBytes(), headroom);
    if (percent === this.applied) return;
    this.applied = percent;
    this.control.setGrowingPercent(percent);
  }
}

/** The process's one instance, where entry points hold headroom (a second instance would
 * overwrite this one's setting). */
export const processHeapHeadroom = new HeapHeadroom();
