// Drops on a 3D space: what the pointer ray hits decides the receiver. An airplane under the
// pointer gets the reference (`checkDrop` on the airplane, then `airplane.bind`); otherwise the
// space places it where the ray meets the ground (`checkDrop` on the space, then `space3d.place`).
import type { ObjectHandle } from '../../../src-shared/bridge/protocol';
import type { Vec3 } from '../../../src-shared/spatial/vec';
import type { DropPayload } from '../drop-data';
import type { DropReceiver, DropSink } from '../drop-source';
import { deliverDrop, dropSource, releaseDropSource } from '../drop-source';

export interface Ray {
  readonly origin: Vec3;
  readonly direction: Vec3;
}

/** A raycast hit as the canvas reports it: the nearest first; airplanes carry their handle. */
export interface DropHit {
  readonly distance: number;
  readonly airplaneHandle?: ObjectHandle;
}

export type SpaceDropTarget =
  | { readonly kind: 'airplane'; readonly handle: ObjectHandle }
  | { readonly kind: 'space'; readonly position: Vec3 };

/** Farther than this the ground point is useless (a ray grazing the horizon). */
const MAX_DROP_DISTANCE = 5e6;

/** Where `ray` meets the plane y = planeY in front of its origin, if it does (closely enough). */
export function groundPoint(ray: Ray, planeY = 0): Vec3 | undefined {
  const dy = ray.direction[1];
  if (Math.abs(dy) < 1e-9) return undefined;
  const t = (planeY - ray.origin[1]) / dy;
  if (!(t >= 0)) return undefined;
  const p: Vec3 = [ray.origin[0] + ray.direction[0] * t, planeY, ray.origin[2] + ray.direction[2] * t];
  const far = Math.hypot(p[0] - ray.origin[0], p[1] - ray.origin[1], p[2] - ray.origin[2]);
  return far <= MAX_DROP_DISTANCE && p.every(Number.isFinite) ? p : undefined;
}

/**
 * The receiver of a drop: the nearest airplane hit, else the ground under the pointer, else
 * `fallback` (the orbit target) when the pointer is above the horizon.
 */
export function resolveDropTarget(hits: readonly DropHit[], ray: Ray, fallback: Vec3): SpaceDropTarget {
  const plane = [...hits]
    .filter((h) => h.airplaneHandle && Number.isFinite(h.distance))
    .sort((a, b) => a.distance - b.distance)[0];
  if (plane?.airplaneHandle) return { kind: 'airplane', handle: plane.airplaneHandle };
  const at = groundPoint(ray) ?? fallback;
  return { kind: 'space', position: [toCentimetres(at[0]), toCentimetres(at[1]), toCentimetres(at[2])] };
}

/** Positions sent to the space are rounded to centimetres. */
export const toCentimetres = (v: number): number => Math.round(v * 100) / 100;

export interface SpaceDropContext extends DropSink {
  readonly spaceHandle: ObjectHandle;
}

/** Several payloads of one drop are placed this far apart (metres) instead of on top of each other. */
const SPREAD = 40;

export async function performSpaceDrop(
  ctx: SpaceDropContext,
  target: SpaceDropTarget,
  payloads: readonly DropPayload<File>[],
): Promise<void> {
  let index = 0;
  for (const payload of payloads) {
    const source = await dropSource(ctx, payload, receiverOf(ctx, target));
    if (!source) continue;
    const at: SpaceDropTarget =
      target.kind === 'space'
        ? {
            kind: 'space',
            position: [target.position[0] + index * SPREAD, target.position[1], target.position[2]],
          }
        : target;
    const ok = await deliver(ctx, at, source.xml);
    if (ok) index += 1;
    releaseDropSource(ctx.bridge, source, ok);
  }
}

function receiverOf(ctx: SpaceDropContext, target: SpaceDropTarget): DropReceiver {
  return target.kind === 'airplane'
    ? { handle: target.handle, refusal: 'The airplane does not accept that object.' }
    : { handle: ctx.spaceHandle, refusal: 'The space does not accept that object.' };
}

/** checkDrop on the receiver, then the matching intent; refusals are shown, not thrown. */
function deliver(ctx: SpaceDropContext, target: SpaceDropTarget, xml: string): Promise<boolean> {
  return deliverDrop(ctx, {
    ...receiverOf(ctx, target),
    xml,
    intent:
      target.kind === 'airplane'
        ? { kind: 'airplane.bind', reference: xml }
        : { kind: 'space3d.place', reference: xml, position: target.position },
    failure: 'Could not complete the drop',
  });
}
