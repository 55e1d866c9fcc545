// liveobjects.coordinates: a stream of 3D coordinates over a plain (not checkpointed)
// Channel<Bytes>. A publisher samples a source at a fixed rate and multicasts the samples;
// a subscriber keeps one interpolator per (sender, track) and answers smooth poses at any
// local time. Nothing is replicated state: a late joiner simply starts with the next sample.
import { Interpolator } from '../../../src-shared/spatial/interpolator';
import type { InterpolatorOptions, Pose } from '../../../src-shared/spatial/interpolator';
import type { CoordinateSample } from '../../../src-shared/spatial/sample';
import { sampleProblem } from '../../../src-shared/spatial/sample';
import {
  MAX_SAMPLES_PER_MESSAGE,
  MAX_TRACK,
  decodeSamples,
  encodeSamples,
} from '../../../src-shared/spatial/sample-codec';
import type { TrackSample } from '../../../src-shared/spatial/sample-codec';
import { isValidSender } from '../models/lamport';
import { errorText } from '../../../src-shared/util/error-text';

export const COORDINATES_TYPE = 'liveobjects.coordinates';

/** One sample (track 0) or samples of several tracks taken at `now`; undefined skips a tick. */
export type SampleSource = (now: number) => CoordinateSample | readonly TrackSample[] | undefined;

/** Starts calling `tick` every `intervalMs`; returns a function that stops it. */
export type Scheduler = (tick: () => void, intervalMs: number) => () => void;

const intervalScheduler: Scheduler = (tick, intervalMs) => {
  const handle = setInterval(tick, intervalMs);
  return () => clearInterval(handle);
};

export interface PublisherOptions {
  readonly send: (bytes: Uint8Array) => void;
  readonly source: SampleSource;
  /** Samples per second, 0.1–1000. Default 20. */
  readonly rateHz?: number;
  readonly now?: () => number;
  readonly schedule?: Scheduler;
}

export interface PublisherStats {
  readonly ticks: number;
  readonly messages: number;
  readonly samples: number;
  readonly bytes: number;
  /** Samples the source produced that were invalid (skipped). */
  readonly invalid: number;
  /** Source or send failures (the tick is skipped). */
  readonly errors: number;
  readonly lastError?: string;
}

export class CoordinateStreamPublisher {
  readonly type = COORDINATES_TYPE;
  readonly rateHz: number;
  readonly #send: (bytes: Uint8Array) => void;
  readonly #source: SampleSource;
  readonly #now: () => number;
  readonly #schedule: Scheduler;
  #cancel: (() => void) | undefined;
  #stats: { -readonly [K in keyof PublisherStats]: PublisherStats[K] } = {
    ticks: 0,
    messages: 0,
    samples: 0,
    bytes: 0,
    invalid: 0,
    errors: 0,
  };

  constructor(options: PublisherOptions) {
    const rate = options.rateHz ?? 20;
    if (typeof rate !== 'number' || !(rate >= 0.1 && rate <= 1000))
      throw new RangeError('rateHz must be within 0.1–1000');
    this.rateHz = rate;
    this.#send = options.send;
    this.#source = options.source;
    this.#now = options.now ?? Date.now;
    this.#schedule = options.schedule ?? intervalScheduler;
  }

  get intervalMs(): number {
    return 1000 / this.rateHz;
  }

  get running(): boolean {
    return this.#cancel !== undefined;
  }

  get stats(): PublisherStats {
    return { ...this.#stats };
  }

  start(): void {
    if (!this.#cancel) this.#cancel = this.#schedule(() => this.tick(), this.intervalMs);
  }

  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  /** Samples the source once and sends; returns the number of samples sent. Never throws. */
  tick(now: number = this.#now()): number {
    this.#stats.ticks += 1;
    let produced: CoordinateSample | readonly TrackSample[] | undefined;
    try {
      produced = this.#source(now);
    } catch (error) {
      this.#fail(error);
      return 0;
    }
    if (produced === undefined) return 0;
    const list: readonly TrackSample[] = Array.isArray(produced)
      ? (produced as readonly TrackSample[])
      : [{ track: 0, sample: produced as CoordinateSample }];
    const valid: TrackSample[] = [];
    for (const entry of list) {
      const ok =
        typeof entry === 'object' &&
        entry !== null &&
        Number.isInteger(entry.track) &&
        entry.track >= 0 &&
        entry.track <= MAX_TRACK &&
        sampleProblem(entry.sample) === undefined;
      if (ok) valid.push(entry);
      else this.#stats.invalid += 1;
    }
    let sent = 0;
    try {
      for (let i = 0; i < valid.length; i += MAX_SAMPLES_PER_MESSAGE) {
        const chunk = valid.slice(i, i + MAX_SAMPLES_PER_MESSAGE);
        const bytes = encodeSamples(chunk);
        this.#send(bytes);
        this.#stats.messages += 1;
        this.#stats.bytes += bytes.length;
        this.#stats.samples += chunk.length;
        sent += chunk.length;
      }
    } catch (error) {
      this.#fail(error);
    }
    return sent;
  }

  dispose(): void {
    this.stop();
  }

  #fail(error: unknown): void {
    this.#stats.errors += 1;
    this.#stats.lastError = errorText(error);
  }
}

export interface SubscriberOptions extends InterpolatorOptions {
  readonly now?: () => number;
  /** (sender, track) pairs followed at once; samples of further ones are dropped. Default 4096. */
  readonly maxTracks?: number;
  /** expire() forgets tracks silent for this long. Default 10 000 ms. */
  readonly idleMs?: number;
}

export interface TrackKey {
  readonly sender: string;
  readonly track: number;
}

export interface TrackPose extends TrackKey {
  readonly pose: Pose;
}

export interface SubscriberStats {
  readonly messages: number;
  /** Samples accepted (including late ones). */
  readonly samples: number;
  /** Accepted samples whose time had already been rendered (we had extrapolated). */
  readonly late: number;
  readonly duplicates: number;
  /** Malformed messages, plus samples that were stale or over the track limit. */
  readonly dropped: number;
  readonly lastDropReason?: string;
  readonly tracks: number;
  /** Samples received over the last second. */
  readonly samplesPerSecond: number;
}

interface Track {
  readonly key: TrackKey;
  readonly interpolator: Interpolator;
  lastArrival: number;
}

const BUCKET_MS = 100;
const BUCKETS = 10;

export class CoordinateStreamSubscriber {
  readonly type = COORDINATES_TYPE;
  readonly #now: () => number;
  readonly #maxTracks: number;
  readonly #idleMs: number;
  readonly #interpolation: InterpolatorOptions;
  readonly #tracks = new Map<string, Track>();
  readonly #bucketIds = new Array<number>(BUCKETS).fill(-Infinity);
  readonly #bucketCounts = new Array<number>(BUCKETS).fill(0);
  #stats = {
    messages: 0,
    samples: 0,
    late: 0,
    duplicates: 0,
    dropped: 0,
    lastDropReason: undefined as string | undefined,
  };

  constructor(options: SubscriberOptions = {}) {
    const { now, maxTracks, idleMs, ...interpolation } = options;
    this.#now = now ?? Date.now;
    this.#maxTracks = maxTracks ?? 4096;
    this.#idleMs = idleMs ?? 10_000;
    this.#interpolation = interpolation;
  }

  /** A message from the channel. Never throws; bad input is dropped and counted. */
  receive(sender: string, bytes: Uint8Array, arrival: number = this.#now()): void {
    this.#stats.messages += 1;
    if (!isValidSender(sender)) return this.#drop('bad sender');
    const decoded = decodeSamples(bytes);
    if (!decoded.ok) return this.#drop(decoded.reason);
    for (const { track, sample } of decoded.samples) {
      const id = `${track}@${sender}`;
      let entry = this.#tracks.get(id);
      if (!entry) {
        if (this.#tracks.size >= this.#maxTracks) {
          this.#drop(`track limit (${this.#maxTracks}) reached`);
          continue;
        }
        entry = {
          key: { sender, track },
          interpolator: new Interpolator(this.#interpolation),
          lastArrival: arrival,
        };
        this.#tracks.set(id, entry);
      }
      entry.lastArrival = Math.max(entry.lastArrival, arrival);
      const result = entry.interpolator.push(sample, arrival);
      if (result === 'accepted' || result === 'late') {
        this.#stats.samples += 1;
        this.#count(arrival);
        if (result === 'late') this.#stats.late += 1;
      } else if (result === 'duplicate') {
        this.#stats.duplicates += 1;
      } else {
        this.#drop(`${result} sample`);
      }
    }
  }

  /** The smooth pose of one track at local time `at`. */
  pose(sender: string, track = 0, at: number = this.#now()): Pose | undefined {
    return this.#tracks.get(`${track}@${sender}`)?.interpolator.at(at);
  }

  /** Every track's pose at `at`, sorted by sender then track. */
  poses(at: number = this.#now()): TrackPose[] {
    const out: TrackPose[] = [];
    for (const { key, interpolator } of this.#sorted()) {
      const pose = interpolator.at(at);
      if (pose) out.push({ ...key, pose });
    }
    return out;
  }

  /**
   * The pose of `track` from whichever sender sent it last (an airplane bound to a stream
   * follows a track, not a sender: the publishing node may change).
   */
  follow(track: number, at: number = this.#now()): TrackPose | undefined {
    let best: Track | undefined;
    for (const t of this.#tracks.values()) {
      if (t.key.track !== track) continue;
      if (
        !best ||
        t.lastArrival > best.lastArrival ||
        (t.lastArrival === best.lastArrival && t.key.sender < best.key.sender)
      ) {
        best = t;
      }
    }
    const pose = best?.interpolator.at(at);
    return best && pose ? { ...best.key, pose } : undefined;
  }

  tracks(): TrackKey[] {
    return this.#sorted().map((t) => t.key);
  }

  /** Forgets tracks silent for idleMs; returns how many. Call it periodically. */
  expire(now: number = this.#now()): number {
    let n = 0;
    for (const [id, t] of this.#tracks) {
      if (now - t.lastArrival > this.#idleMs) {
        this.#tracks.delete(id);
        n += 1;
      }
    }
    return n;
  }

  stats(now: number = this.#now()): SubscriberStats {
    const current = Math.floor(now / BUCKET_MS);
    let recent = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      const age = current - (this.#bucketIds[i] as number);
      if (age >= 0 && age < BUCKETS) recent += this.#bucketCounts[i] as number;
    }
    const { lastDropReason, ...counts } = this.#stats;
    return {
      ...counts,
      ...(lastDropReason === undefined ? {} : { lastDropReason }),
      tracks: this.#tracks.size,
      samplesPerSecond: (recent * 1000) / (BUCKETS * BUCKET_MS),
    };
  }

  dispose(): void {
    this.#tracks.clear();
  }

  #sorted(): Track[] {
    return [...this.#tracks.values()].sort((a, b) =>
      a.key.sender < b.key.sender ? -1 : a.key.sender > b.key.sender ? 1 : a.key.track - b.key.track,
    );
  }

  #count(arrival: number): void {
    const id = Math.floor(arrival / BUCKET_MS);
    const slot = ((id % BUCKETS) + BUCKETS) % BUCKETS;
    if (this.#bucketIds[slot] !== id) {
      this.#bucketIds[slot] = id;
      this.#bucketCounts[slot] = 0;
    }
    this.#bucketCounts[slot] = (this.#bucketCounts[slot] as number) + 1;
  }

  #drop(reason: string): void {
    this.#stats.dropped += 1;
    this.#stats.lastDropReason = reason;
  }
}
