// Carries out a drop (or paste) on a desktop: every payload becomes a reference, is checked
// with `checkDrop`, and is placed, or the desktop's reason for refusing it is shown.
import type { ObjectHandle } from '../../src-shared/bridge/protocol';
import type { DropPayload } from './drop-data';
import type { DropSink } from './drop-source';
import { deliverDrop, dropSource, releaseDropSource } from './drop-source';

export interface DropTarget extends DropSink {
  readonly handle: ObjectHandle;
  /** Where to place the first item, in desktop coordinates. */
  readonly x: number;
  readonly y: number;
}

/** Successive payloads of one drop are fanned out so they do not hide each other. */
const CASCADE = 28;
export async function performDrop(target: DropTarget, payloads: readonly DropPayload<File>[]): Promise<void> {
  let offset = 0;
  for (const payload of payloads) {
    const at = { x: Math.max(0, target.x + offset), y: Math.max(0, target.y + offset) };
    const receiver = { handle: target.handle, refusal: 'This desktop does not accept that object.' };
    const source = await dropSource(target, payload, receiver);
    if (!source) continue;
    const placed = await deliverDrop(target, {
      ...receiver,
      xml: source.xml,
      intent: { kind: 'desktop.place', reference: source.xml, x: Math.round(at.x), y: Math.round(at.y) },
      failure: 'Could not place the object',
    });
    releaseDropSource(target.bridge, source, placed);
    if (placed) offset += CASCADE;
  }
}
