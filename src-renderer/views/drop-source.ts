// What every drop receiver (a desktop, a 3D space) does alike: turn a payload into a reference
// (reading .liveobject files, minting objects from templates and image files), check it with
// the receiver (`checkDrop`) and act on it, and close the objects minted for the drop. A new
// object is checked before it is minted (`checkTemplateDrop`): a refused drop creates nothing.
import type {
  DropVerdict,
  Intent,
  ObjectHandle,
  OpenedObject,
  TemplateKind,
} from '../../src-shared/bridge/protocol';
import type { RendererBridge } from '../bridge/types';
import { errorMessage } from '../bridge/errors';
import { attempt } from '../app/attempt';
import { closeHandle, readReferenceText } from '../app/actions';
import { currentSession } from '../app/stores/connection';
import type { DropPayload } from './drop-data';
import { fileBytes } from './dom-drop';
import { imageFileProblem } from './image-state';
import { isInvitation, offerInvitation } from '../app/invitation';

/** Where refusals go; the bridge the drop's calls use. */
export interface DropSink {
  readonly bridge: RendererBridge;
  /** `why`: the receiver's explanation, shown on request. */
  refuse(reason: string, why?: string): void;
}

/** Who a drop is for: asked with `checkDrop` (or `checkTemplateDrop`) before anything is done. */
export interface DropReceiver {
  readonly handle: ObjectHandle;
  /** Shown when the receiver refuses without a reason. */
  readonly refusal: string;
}

/** Whether `receiver` takes the reference `xml`, or a new object of `template`; refusals are shown. */
async function accepts(
  sink: DropSink,
  receiver: DropReceiver,
  what: { readonly xml: string } | { readonly template: TemplateKind },
): Promise<boolean> {
  const { handle } = receiver;
  const asked: Promise<DropVerdict> =
    'xml' in what
      ? sink.bridge.call('checkDrop', { handle, xml: what.xml })
      : sink.bridge.call('checkTemplateDrop', { handle, template: what.template });
  const verdict = await attempt(asked, 'Could not check the drop');
  if (!verdict) return false;
  if (!verdict.ok) sink.refuse(verdict.reason || receiver.refusal, verdict.why);
  return verdict.ok;
}

/** A payload as a reference, and the object minted for it (with its session), if any. */
export interface DropSource {
  readonly xml: string;
  readonly created?: { readonly object: OpenedObject; readonly session: number };
}

/**
 * Objects minted for a drop stay open this long after it is delivered, so the replica holding
 * their fresh state (an image's bytes) is still up while the receiver's own copy joins.
 */
const CREATED_GRACE_MS = 5_000;

/** An invitation is never placed (its key would reach everyone who sees the receiver): the user
 * is asked whether to join its workspace instead. */
async function unlessInvitation(
  bridge: RendererBridge,
  xml: string,
  source: string,
): Promise<DropSource | undefined> {
  if (!isInvitation(xml)) return { xml };
  await offerInvitation(bridge, xml, source);
  return undefined;
}

/**
 * The reference a payload stands for; undefined (after a refusal or notification) when none.
 * Objects are minted only when `receiver` would take them.
 */
export async function dropSource(
  sink: DropSink,
  payload: DropPayload<File>,
  receiver: DropReceiver,
): Promise<DropSource | undefined> {
  const { bridge } = sink;
  switch (payload.kind) {
    case 'unsupported':
      sink.refuse(payload.reason);
      return undefined;
    case 'reference':
      return unlessInvitation(bridge, payload.xml, 'the dropped invitation');
    case 'reference-file':
      try {
        return await unlessInvitation(bridge, await readReferenceText(payload.file), payload.file.name);
      } catch (error) {
        sink.refuse(`Could not read "${payload.file.name}": ${errorMessage(error)}`);
        return undefined;
      }
    case 'template': {
      if (!(await accepts(sink, receiver, { template: payload.template }))) return undefined;
      const created = await attempt(
        bridge.call('create', { template: payload.template }),
        `Could not create a ${payload.template}`,
      );
      return created ? minted(created) : undefined;
    }
    case 'image-file': {
      const problem = imageFileProblem(payload.file);
      if (problem) {
        sink.refuse(problem);
        return undefined;
      }
      if (!(await accepts(sink, receiver, { template: 'image' }))) return undefined;
      const data = await fileBytes(payload.file);
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
      return minted(created);
    }
  }
}

function minted(object: OpenedObject): DropSource {
  return { xml: object.reference, created: { object, session: currentSession() } };
}

/** Closes the object minted for a drop: at once if it was not delivered, after a grace period if it was. */
export function releaseDropSource(bridge: RendererBridge, source: DropSource, delivered: boolean): void {
  if (!source.created) return;
  const { object, session } = source.created;
  setTimeout(() => closeHandle(bridge, object.handle, session), delivered ? CREATED_GRACE_MS : 0);
}

/** The receiver (`handle`) is asked with `checkDrop`, then sent `intent`. */
export interface DropDelivery extends DropReceiver {
  readonly xml: string;
  readonly intent: Intent;
  /** Prefix of the notification when the intent fails. */
  readonly failure: string;
}

/** checkDrop on the receiver, then the intent; refusals are shown, not thrown. */
export async function deliverDrop(sink: DropSink, delivery: DropDelivery): Promise<boolean> {
  const { handle, xml, intent } = delivery;
  if (!(await accepts(sink, delivery, { xml }))) return false;
  return (await attempt(sink.bridge.call('act', { handle, intent }), delivery.failure)) !== undefined;
}
