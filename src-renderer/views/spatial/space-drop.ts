// Drops on a 3D space: what the pointer ray hits decides the receiver. An airplane under the
// pointer gets the reference (`checkDrop` on the airplane, then `airplane.bind`); otherwise the
// space places it where the ray meets the ground (`checkDrop` on the space, then `space3d.place`).
import type { Intent, ObjectHandle, OpenedObject } from '../../../src-shared/bridge/protocol';
import type { Vec3 } from '../../../src-shared/spatial/vec';
import type { RendererBridge } from '../../bridge/types';
import { errorMessage } from '../../bridge/errors';
import { attempt } from '../../app/attempt';
import { closeHandle } from '../../app/actions';
import { currentSession } from '../../app/stores/connection';
import type { DropPayload } from '../drop-data';
import { fileToBase64 } from '../dom-drop';
import { imageFileProblem } from '../image-state';

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
export const MAX_DROP_DISTANCE = 5e6;

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
  const p = groundPoint(ray);
  const round = (v: number) => Math.round(v * 100) / 100;
  const at = p ?? fallback;
  return { kind: 'space', position: [round(at[0]), round(at[1]), round(at[2])] };
}

export interface SpaceDropContext {
  readonly bridge: RendererBridge;
  readonly spaceHandle: ObjectHandle;
  refuse(reason: string): void;
}

/** Minted objects stay open briefly after the drop so their fresh state reaches the group. */
const CREATED_GRACE_MS = 5_000;
/** Several payloads of one drop are placed this far apart (metres) instead of on top of each other. */
const SPREAD = 40;

export async function performSpaceDrop(
  ctx: SpaceDropContext,
  target: SpaceDropTarget,
  payloads: readonly DropPayload<File>[],
): Promise<void> {
  let index = 0;
  for (const payload of payloads) {
    const source = await referenceOf(ctx, payload);
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
    if (source.created) {
      const { handle } = source.created;
      const session = currentSession();
      setTimeout(() => closeHandle(ctx.bridge, handle, session), ok ? CREATED_GRACE_MS : 0);
    }
  }
}

/** checkDrop on the receiver, then the matching intent; refusals are shown, not thrown. */
export async function deliver(ctx: SpaceDropContext, target: SpaceDropTarget, xml: string): Promise<boolean> {
  const handle = target.kind === 'airplane' ? target.handle : ctx.spaceHandle;
  const verdict = await attempt(ctx.bridge.call('checkDrop', { handle, xml }), 'Could not check the drop');
  if (!verdict) return false;
  if (!verdict.ok) {
    ctx.refuse(
      verdict.reason ||
        (target.kind === 'airplane'
          ? 'The airplane does not accept that object.'
          : 'The space does not accept that object.'),
    );
    return false;
  }
  const intent: Intent =
    target.kind === 'airplane'
      ? { kind: 'airplane.bind', reference: xml }
      : { kind: 'space3d.place', reference: xml, position: target.position };
  const done = await attempt(ctx.bridge.call('act', { handle, intent }), 'Could not complete the drop');
  return done !== undefined;
}

async function referenceOf(
  ctx: SpaceDropContext,
  payload: DropPayload<File>,
): Promise<{ xml: string; created?: OpenedObject } | undefined> {
  const { bridge } = ctx;
  switch (payload.kind) {
    case 'unsupported':
      ctx.refuse(payload.reason);
      return undefined;
    case 'reference':
      return { xml: payload.xml };
    case 'reference-file':
      try {
        return { xml: await payload.file.text() };
      } catch (error) {
        ctx.refuse(`Could not read "${payload.file.name}": ${errorMessage(error)}`);
        return undefined;
      }
    case 'template': {
      const created = await attempt(
        bridge.call('create', { template: payload.template }),
        `Could not create a ${payload.template}`,
      );
      return created ? { xml: created.reference, created } : undefined;
    }
    case 'image-file': {
      const problem = imageFileProblem(payload.file);
      if (problem) {
        ctx.refuse(problem);
        return undefined;
      }
      const data = await fileToBase64(payload.file);
      const created = await attempt(
        bridge.call('create', { template: 'image', title: payload.file.name }),
        'Could not create an image',
      );
      if (!created) return undefined;
      const set = await attempt(
        bridge.call('act', {
          handle: created.handle,
          intent: { kind: 'image.set', mime: payload.file.type, data },
        }),
        `Could not share "${payload.file.name}"`,
      );
      if (set === undefined) {
        closeHandle(bridge, created.handle, currentSession());
        return undefined;
      }
      return { xml: created.reference, created };
    }
  }
}
