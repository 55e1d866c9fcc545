// A placed object's transform in its space (or the identity when a view is opened on its own).
import type { Quat, Vec3 } from '../../../src-shared/spatial/vec';

export interface Placement {
  readonly position: Vec3;
  readonly rotation: Quat;
  readonly scale: Vec3;
}

export const IDENTITY_PLACEMENT: Placement = {
  position: [0, 0, 0],
  rotation: [0, 0, 0, 1],
  scale: [1, 1, 1],
};
export const identityPlacement = (): Placement => IDENTITY_PLACEMENT;
