// What travels over a UI endpoint (UI type: out show(Bytes), in act(Bytes)): one lib0-encoded
// value each (src-shared/bridge/frame-codec.ts), so Yjs updates and image bytes stay bytes.
// `act` carries one bridge Intent; `show` carries one ShowMessage. The host forwards `state` as
// the bridge's `state` event and note replica traffic as `note.update` / `note.awareness`
// events, samples as `stream.samples` (docs/host.md).
import { decodeFrame, encodeFrame } from '../../../src-shared/bridge/frame-codec';
import type { Intent, PoseSample, ViewKind, ViewStateOf } from '../../../src-shared/bridge/protocol';

/** Samples and errors: what any UI object may show besides its state. */
export type StreamMessage =
  /** Coordinate samples for the view (an airplane following its stream), batched. */
  | { readonly t: 'stream.samples'; readonly samples: readonly PoseSample[] }
  /** An intent was refused or the object failed; meant for the user. */
  | { readonly t: 'error'; readonly message: string };

/** What an object of view kind K shows: its own kind of state, never another's. */
export type ShowMessage<K extends ViewKind = ViewKind> =
  | { readonly t: 'state'; readonly state: ViewStateOf<K> }
  /** A Yjs update for the view's replica of a note. */
  | { readonly t: 'note.update'; readonly update: Uint8Array }
  /** A y-protocols awareness update for the view's replica of a note. */
  | { readonly t: 'note.awareness'; readonly update: Uint8Array }
  | StreamMessage;

export function encodeShow(message: ShowMessage): Uint8Array {
  return encodeFrame(message);
}

/**
 * Reads a show message the host's own objects encoded; throws on bytes that are not one. The
 * state inside is the object's to get right: its adapter's types are the view-state schemas'.
 */
export function decodeShow(bytes: Uint8Array): ShowMessage {
  const value = decodeFrame(bytes);
  if (typeof (value as { t?: unknown } | null)?.t !== 'string') throw new Error('malformed show message');
  return value as ShowMessage;
}

export function encodeAct(intent: Intent): Uint8Array {
  return encodeFrame(intent);
}

/**
 * Reads an act payload; throws with a user-readable message on bytes that are not an encoded
 * intent. The intent's fields were checked where it entered the host (`checkCall`),
 * and each adapter refuses kinds it does not understand.
 */
export function decodeAct(bytes: Uint8Array): Intent {
  let value: unknown;
  try {
    value = decodeFrame(bytes);
  } catch (e) {
    throw new Error(`malformed intent: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof (value as { kind?: unknown } | null)?.kind !== 'string')
    throw new Error('malformed intent: no kind');
  return value as Intent;
}
