// Interpolated poses of streamed objects. `stream.samples` events push here (one Interpolator per
// handle and track); views evaluate poses every frame in useFrame, never through React state.
import type { ObjectHandle, PoseSample } from '../../../src-shared/bridge/protocol';
import type { Pose } from '../../../src-shared/spatial/interpolator';
import { Interpolator } from '../../../src-shared/spatial/interpolator';

export interface TrackPose extends Pose {
  readonly track: number;
}

interface Entry {
  readonly tracks: Map<number, Interpolator>;
  /** The track heard last: an airplane's stream carries only its own. */
  lastTrack: number;
}

export class PoseStore {
  readonly #entries = new Map<ObjectHandle, Entry>();
  readonly #maxTracks: number;

  constructor(options: { maxTracks?: number } = {}) {
    this.#maxTracks = options.maxTracks ?? 1024;
  }

  /** Adds samples that arrived at local time `arrivalMs`; invalid ones are ignored. */
  push(handle: ObjectHandle, samples: readonly PoseSample[], arrivalMs: number): void {
    if (!Array.isArray(samples)) return;
    let entry = this.#entries.get(handle);
    for (const s of samples) {
      if (!s || typeof s !== 'object' || !Number.isInteger(s.track) || s.track < 0) continue;
      if (!entry) {
        entry = { tracks: new Map(), lastTrack: s.track };
        this.#entries.set(handle, entry);
      }
      let interp = entry.tracks.get(s.track);
      if (!interp) {
        if (entry.tracks.size >= this.#maxTracks) continue;
        interp = new Interpolator();
        entry.tracks.set(s.track, interp);
      }
      if (interp.push(s, arrivalMs) !== 'invalid') entry.lastTrack = s.track;
    }
  }

  /** The pose of `track` (default: the track heard last) at local time `nowMs`. */
  pose(handle: ObjectHandle, nowMs: number, track?: number): Pose | undefined {
    const entry = this.#entries.get(handle);
    if (!entry) return undefined;
    return entry.tracks.get(track ?? entry.lastTrack)?.at(nowMs);
  }

  /** Every track's pose, by track number. */
  poses(handle: ObjectHandle, nowMs: number): TrackPose[] {
    const out: TrackPose[] = [];
    for (const track of this.tracks(handle)) {
      const p = this.pose(handle, nowMs, track);
      if (p) out.push({ ...p, track });
    }
    return out;
  }

  /** The tracks that have samples (those `poses` shows), ascending; nothing is interpolated. */
  tracks(handle: ObjectHandle): number[] {
    const entry = this.#entries.get(handle);
    if (!entry) return [];
    const out: number[] = [];
    for (const [track, interp] of entry.tracks) if (interp.size > 0) out.push(track);
    return out.sort((a, b) => a - b);
  }

  has(handle: ObjectHandle): boolean {
    return this.#entries.has(handle);
  }

  handles(): ObjectHandle[] {
    return [...this.#entries.keys()];
  }

  forget(handle: ObjectHandle): void {
    this.#entries.delete(handle);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** The renderer's one pose store (fed by app/wire.ts). */
export const poseStore = new PoseStore();
