// Carries out a drop (or paste) on a desktop: every payload becomes a reference, is checked
// with `checkDrop`, and is placed, or the desktop's reason for refusing it is shown.
import type { ObjectHandle, OpenedObject } from '../../src-shared/bridge/protocol';
import type { RendererBridge } from '../bridge/types';
import { errorMessage } from '../bridge/errors';
import { attempt } from '../app/attempt';
import { closeHandle } from '../app/actions';
import { currentSession } from '../app/stores/connection';
import type { DropPayload } from './drop-data';
import { fileToBase64 } from './dom-drop';
import { imageFileProblem } from './image-state';

export interface DropTarget {
  readonly bridge: RendererBridge;
  readonly handle: ObjectHandle;
  /** Where to place the first item, in desktop coordinates. */
  readonly x: number;
  readonly y: number;
  refuse(reason: string): void;
}

/** Successive payloads of one drop are fanned out so they do not hide each other. */
const CASCADE = 28;
/**
 * Objects minted for a drop stay open this long after placing, so the replica holding their
 * fresh state (an image's bytes) is still up while the desktop's own copy joins.
 */
const CREATED_GRACE_MS = 5_000;

export async function performDrop(target: DropTarget, payloads: readonly DropPayload<File>[]): Promise<void> {
  let offset = 0;
  for (const payload of payloads) {
    const at = { x: Math.max(0, target.x + offset), y: Math.max(0, target.y + offset) };
    if (await dropOne(target, payload, at)) offset += CASCADE;
  }
}

async function dropOne(
  target: DropTarget,
  payload: DropPayload<File>,
  at: { x: number; y: number },
): Promise<boolean> {
  const { bridge } = target;
  switch (payload.kind) {
    case 'unsupported':
      target.refuse(payload.reason);
      return false;
    case 'reference':
      return place(target, payload.xml, at);
    case 'reference-file': {
      let xml: string;
      try {
        xml = await payload.file.text();
      } catch (error) {
        target.refuse(`Could not read "${payload.file.name}": ${errorMessage(error)}`);
        return false;
      }
      return place(target, xml, at);
    }
    case 'template': {
      const created = await attempt(
        bridge.call('create', { template: payload.template }),
        `Could not create a ${payload.template}`,
      );
      return created ? placeCreated(target, created, at) : false;
    }
    case 'image-file': {
      const problem = imageFileProblem(payload.file);
      if (problem) {
        target.refuse(problem);
        return false;
      }
      const data = await fileToBase64(payload.file);
      const created = await attempt(
        bridge.call('create', { template: 'image', title: payload.file.name }),
        'Could not create an image',
      );
      if (!created) return false;
      const set = await attempt(
        bridge.call('act', {
          handle: created.handle,
          intent: { kind: 'image.set', mime: payload.file.type, data },
        }),
        `Could not share "${payload.file.name}"`,
      );
      if (set === undefined) {
        closeHandle(bridge, created.handle, currentSession());
        return false;
      }
      return placeCreated(target, created, at);
    }
  }
}

async function placeCreated(
  target: DropTarget,
  created: OpenedObject,
  at: { x: number; y: number },
): Promise<boolean> {
  const session = currentSession();
  const placed = await place(target, created.reference, at);
  setTimeout(() => closeHandle(target.bridge, created.handle, session), placed ? CREATED_GRACE_MS : 0);
  return placed;
}

async function place(target: DropTarget, xml: string, at: { x: number; y: number }): Promise<boolean> {
  const { bridge, handle } = target;
  const verdict = await attempt(bridge.call('checkDrop', { handle, xml }), 'Could not check the drop');
  if (!verdict) return false;
  if (!verdict.ok) {
    target.refuse(verdict.reason || 'This desktop does not accept that object.');
    return false;
  }
  const intent = { kind: 'desktop.place', reference: xml, x: Math.round(at.x), y: Math.round(at.y) } as const;
  return (await attempt(bridge.call('act', { handle, intent }), 'Could not place the object')) !== undefined;
}
