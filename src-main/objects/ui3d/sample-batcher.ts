// Coalesces coordinate samples into at most one emission per interval (≈30 per second by
// default) so a busy stream costs the bridge a bounded number of events; the buffer is
// bounded too (the oldest samples go first: the newest matter most to an interpolator).
// forwardSamples feeds one from a view of a stream's `stream` endpoint.
import type { PoseSample } from '../../../src-shared/bridge/protocol';
import type { TrackSample } from '../../../src-shared/spatial/sample-codec';
import { decodeSamples } from '../../../src-shared/spatial/sample-codec';
import type { LocalProxy } from '../../runtime/proxy';

export interface SampleBatcherOptions {
  readonly emit: (samples: PoseSample[]) => void;
  /** Minimum time between emissions (default 34 ms, < 30 per second). */
  readonly intervalMs?: number;
  /** Samples kept between emissions (default 2048). */
  readonly maxSamples?: number;
}

export class SampleBatcher {
  private buffer: PoseSample[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastEmit = -Infinity;
  private disposed = false;
  /** Samples dropped because the buffer was full. */
  dropped = 0;
  private readonly intervalMs: number;
  private readonly maxSamples: number;

  constructor(private readonly options: SampleBatcherOptions) {
    this.intervalMs = options.intervalMs ?? 34;
    this.maxSamples = options.maxSamples ?? 2048;
  }

  push(samples: readonly PoseSample[]): void {
    if (this.disposed || samples.length === 0) return;
    this.buffer.push(...samples);
    const over = this.buffer.length - this.maxSamples;
    if (over > 0) {
      this.buffer.splice(0, over);
      this.dropped += over;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.lastEmit + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.buffer = [];
  }

  private flush(): void {
    this.timer = undefined;
    if (this.disposed || this.buffer.length === 0) return;
    const out = this.buffer;
    this.buffer = [];
    this.lastEmit = Date.now();
    this.options.emit(out);
  }
}

/** Decoded samples as the bridge carries them; `track` keeps only that track. */
function toPoseSamples(samples: readonly TrackSample[], track?: number): PoseSample[] {
  const out: PoseSample[] = [];
  for (const { track: tr, sample } of samples) {
    if (track !== undefined && tr !== track) continue;
    out.push({
      track: tr,
      t: sample.t,
      position: sample.position,
      orientation: sample.orientation,
      velocity: sample.velocity,
    });
  }
  return out;
}

/** Feeds `batcher` with the samples (of `track`, else all) arriving at `view`'s `stream` endpoint. */
export function forwardSamples(view: LocalProxy, batcher: SampleBatcher, track?: number): void {
  view.portal('stream').on('position', (bytes) => {
    if (!(bytes instanceof Uint8Array)) return;
    const decoded = decodeSamples(bytes);
    if (decoded.ok) batcher.push(toPoseSamples(decoded.samples, track));
  });
}
