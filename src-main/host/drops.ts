// What the host accepts: `open` shows objects with a 2D UI, a 3D UI or a coordinate stream;
// `checkDrop` asks the container's own rule (objects/ui/drop.ts), the same check its place or
// bind intent makes, so the renderer's preview and the object's decision agree.
import type { DropVerdict, OpenedObject } from '../../src-shared/bridge/protocol';
import type { ObjectCatalogue } from '../runtime/catalogue';
import type { OpenCheck } from '../objects/ui';
import { check2dUi, check3dUi, checkAirplaneDrop, checkOpenable } from '../objects/ui';

export function checkOpen(catalogue: ObjectCatalogue, xml: string, source: string): OpenCheck {
  return checkOpenable(catalogue, xml, source);
}

/** Whether `xml` may be dropped on the open object `target`, and why not. */
export function checkDropOn(catalogue: ObjectCatalogue, target: OpenedObject, xml: string): DropVerdict {
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
