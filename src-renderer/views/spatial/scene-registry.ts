// What each mounted 3D view currently shows, written every frame by the views (plain maps, no
// React state) and read by the follow camera, by space drops above the horizon (the orbit
// target) and by the read-only debug hook for e2e tests.
import type { ObjectHandle } from '../../../src-shared/bridge/protocol';
import type { PlacedObject } from '../../../src-shared/spatial/placement';
import type { Quat, Vec3 } from '../../../src-shared/spatial/vec';

export interface ShownPose {
  readonly position: Vec3;
  readonly orientation: Quat;
  /** 'placed' while the airplane holds its placement (no stream, or no samples yet). */
  readonly mode: 'interpolated' | 'extrapolated' | 'held' | 'placed';
  readonly callsign: string;
  /** The placing space and its item id, when shown inside a space. */
  readonly space?: ObjectHandle;
  readonly itemId?: string;
  /** Local time (Date.now()) of the frame that showed it. */
  readonly at: number;
}

/** A placed object as its space shows it (a dragged object at its local position). */
export interface ShownObject extends PlacedObject {
  readonly space: ObjectHandle;
  readonly kind: string;
  readonly title: string;
  /** The object's own handle once its reference is open. */
  readonly handle?: ObjectHandle;
}

export const shownPoses = new Map<ObjectHandle, ShownPose>();
/** Keyed by `${space} ${id}`. */
export const shownObjects = new Map<string, ShownObject>();
export const shownCameras = new Map<ObjectHandle, { position: Vec3; target: Vec3; mode: string }>();

/** Client-pixel projection per mounted canvas (by the viewed object's handle), for tests. */
export const projectors = new Map<ObjectHandle, (point: Vec3) => { x: number; y: number } | undefined>();

/** The pose shown for an item of a space (the follow camera's target). */
export function shownPoseOfItem(space: ObjectHandle, itemId: string): ShownPose | undefined {
  for (const pose of shownPoses.values()) if (pose.space === space && pose.itemId === itemId) return pose;
  return undefined;
}
