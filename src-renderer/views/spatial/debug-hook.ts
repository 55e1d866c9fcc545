// A read-only window hook for end-to-end tests: what the 3D views show right now, so two
// browsers can be compared within a tolerance. Nothing here changes any state.
import type { ObjectHandle } from '../../../src-shared/bridge/protocol';
import type { TrackPose } from './pose-store';
import { poseStore } from './pose-store';
import type { ShownObject, ShownPose } from './scene-registry';
import { projectors, shownCameras, shownObjects, shownPoses } from './scene-registry';

export interface LiveObjects3DDebug {
  readonly version: 1;
  /** The pose each airplane showed in its latest frame, by airplane handle. */
  poses(): Record<ObjectHandle, ShownPose>;
  /** Poses interpolated now (or at local time `atMs`) for every streamed handle and track. */
  streamPoses(atMs?: number): Record<ObjectHandle, TrackPose[]>;
  /** Placed objects of every mounted space, with their replicated (or dragged) transform. */
  objects(): ShownObject[];
  /** Each mounted space's camera (this user's local state). */
  cameras(): Record<ObjectHandle, { position: readonly number[]; target: readonly number[]; mode: string }>;
  /** Where a scene point of the view of `handle` is on screen (client pixels), if in front of its camera. */
  project(
    handle: ObjectHandle,
    point: readonly [number, number, number],
  ): { x: number; y: number } | undefined;
}

export function createDebugHook(): LiveObjects3DDebug {
  const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
  return {
    version: 1,
    poses: () => clone(Object.fromEntries(shownPoses)),
    streamPoses: (atMs = Date.now()) =>
      clone(Object.fromEntries(poseStore.handles().map((h) => [h, poseStore.poses(h, atMs)]))),
    objects: () => clone([...shownObjects.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))),
    cameras: () => clone(Object.fromEntries(shownCameras)),
    project: (handle, point) => projectors.get(handle)?.([point[0], point[1], point[2]]),
  };
}

export function installDebugHook(target: object): void {
  Object.defineProperty(target, '__liveobjects3d', {
    value: Object.freeze(createDebugHook()),
    configurable: true,
  });
}
