// A placed object of a 3D space: what the space3d model holds per item and what its view state
// carries to the renderer (docs/spatial.md, docs/host.md). One definition for host and renderer.
import type { Quat, Vec3 } from './vec';

/** An object's transform in its space: position (scene units), rotation [x, y, z, w], scale. */
export interface Placement {
  readonly position: Vec3;
  readonly rotation: Quat;
  readonly scale: Vec3;
}

export interface PlacedObject extends Placement {
  readonly id: string;
  /** The object's .liveobject XML. */
  readonly reference: string;
  /** A hint for placeholders before the reference resolves (the host sends the view kind). */
  readonly kind?: string;
  readonly title?: string;
}
