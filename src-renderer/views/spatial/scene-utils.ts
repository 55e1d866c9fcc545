// three.js helpers shared by the 3D views: pointer rays, drop hits, screen-constant sizing and
// the bounds used to frame a scene.
import type { Camera, Object3D } from 'three';
import { Box3, Raycaster, Vector2, Vector3 } from 'three';
import type { Vec3 } from '../../../src-shared/spatial/vec';
import type { DropHit, Ray } from './space-drop';

export function raycasterAt(
  element: HTMLElement,
  camera: Camera,
  clientX: number,
  clientY: number,
): Raycaster {
  const rect = element.getBoundingClientRect();
  const ndc = new Vector2(
    ((clientX - rect.left) / Math.max(1, rect.width)) * 2 - 1,
    -((clientY - rect.top) / Math.max(1, rect.height)) * 2 + 1,
  );
  const raycaster = new Raycaster();
  raycaster.setFromCamera(ndc, camera);
  return raycaster;
}

export function rayOf(raycaster: Raycaster): Ray {
  const { origin, direction } = raycaster.ray;
  return { origin: [origin.x, origin.y, origin.z], direction: [direction.x, direction.y, direction.z] };
}

/** Airplanes mark their root with userData.airplaneHandle; everything else is plain scenery. */
export function dropHits(raycaster: Raycaster, root: Object3D): DropHit[] {
  return raycaster.intersectObject(root, true).map((hit) => {
    const handle = airplaneOf(hit.object);
    return handle ? { distance: hit.distance, airplaneHandle: handle } : { distance: hit.distance };
  });
}

function airplaneOf(object: Object3D): string | undefined {
  for (let o: Object3D | null = object; o; o = o.parent) {
    const handle: unknown = o.userData.airplaneHandle;
    if (typeof handle === 'string') return handle;
  }
  return undefined;
}

/**
 * Scale that keeps a small thing (an airplane, a pin) visible from far away: 1 up close, growing
 * with the distance so it covers roughly the same part of the screen.
 */
export function screenScale(camera: Camera, at: Vector3, closeDistance: number): number {
  return Math.max(1, camera.position.distanceTo(at) / closeDistance);
}

const tmpBox = new Box3();

/**
 * The bounds of what should be framed: real geometry, but only the origin of anything marked
 * userData.noFit (screen-scaled things would otherwise grow the box as the camera backs off).
 */
export function fitBox(root: Object3D): Box3 {
  const box = new Box3();
  root.updateWorldMatrix(true, true);
  const visit = (o: Object3D): void => {
    if (o.userData.noFit === true) {
      box.expandByPoint(o.getWorldPosition(new Vector3()));
      return;
    }
    const geometry = (o as Object3D & { geometry?: { boundingBox: Box3 | null; computeBoundingBox(): void } })
      .geometry;
    if (geometry) {
      if (!geometry.boundingBox) geometry.computeBoundingBox();
      if (geometry.boundingBox) box.union(tmpBox.copy(geometry.boundingBox).applyMatrix4(o.matrixWorld));
    }
    for (const child of o.children) visit(child);
  };
  visit(root);
  return box;
}

export const toVec3 = (v: Vector3): Vec3 => [v.x, v.y, v.z];
