// What may be dropped on an open object: `checkDrop` asks the container's own rule
// (objects/ui/drop.ts), the same check its place or bind intent makes, so the renderer's
// preview and the object's decision agree. (`open` asks checkOpenable from the same file.) A
// container that is not private refuses references holding an object key (objects/sealed).
import type { DropVerdict, OpenedObject } from '../../src-shared/bridge/protocol';
import type { ObjectCatalogue } from '../runtime/catalogue';
import { check2dUi, check3dUi, checkAirplaneDrop } from '../objects/ui';
import { keyExposure } from '../objects/sealed';
import { isInvitation } from '../../src-shared/workspace/invitation';

/** Placed, an invitation would give its workspace key to everyone who sees the container. */
export const INVITATION_NOT_PLACED =
  'an invitation is never placed on an object: everyone who sees it would get the workspace key. ' +
  'Open it instead (the app asks whether to join its workspace)';

/** Whether `xml` may be dropped on the open object `target`, and why not. */
export function checkDropOn(catalogue: ObjectCatalogue, target: OpenedObject, xml: string): DropVerdict {
  if (isInvitation(xml)) return { ok: false, reason: INVITATION_NOT_PLACED };
  const exposure = keyExposure(target.private, xml, target.title);
  if (exposure) return { ok: false, reason: exposure };
  switch (target.kind) {
    case 'desktop':
      return check2dUi(catalogue, xml).verdict;
    case 'space3d':
      return check3dUi(catalogue, xml).verdict;
    case 'airplane':
      return checkAirplaneDrop(catalogue, xml).verdict;
    default:
      return {
        ok: false,
        reason: `${target.title} is a ${target.kind}: nothing can be dropped on it (drop on a desktop, a 3D space or an airplane)`,
      };
  }
}
