// What travels over a UI endpoint (UI type: out show(Bytes), in act(Bytes)): UTF-8 JSON.
// `act` carries one bridge Intent (src-shared/bridge/protocol.ts); `show` carries one
// ShowMessage. The host forwards `state` as the bridge's `state` event and note replica
// traffic as `note.update` / `note.awareness` events, samples as `stream.samples` (docs/host.md).
import type { Intent, PoseSample } from '../../../src-shared/bridge/protocol';

export type ShowMessage =
  | { readonly t: 'state'; readonly state: unknown }
  /** Yjs update (base64) for the view's replica of a note. */
  | { readonly t: 'note.update'; readonly update: string }
  | { readonly t: 'note.awareness'; readonly update: string }
  /** Coordinate samples for the view (an airplane following its stream), batched. */
  | { readonly t: 'stream.samples'; readonly samples: readonly PoseSample[] }
  /** An intent was refused or the object failed; meant for the user. */
  | { readonly t: 'error'; readonly message: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeShow(message: ShowMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

export function decodeShow(bytes: Uint8Array): ShowMessage {
  const value: unknown = JSON.parse(decoder.decode(bytes));
  if (!isRecord(value) || typeof value.t !== 'string') throw new Error('malformed show message');
  return value as unknown as ShowMessage;
}

export function encodeAct(intent: Intent): Uint8Array {
  return encoder.encode(JSON.stringify(intent));
}

/** Parses an act payload; throws with a user-readable message on anything malformed. */
export function decodeAct(bytes: Uint8Array): Intent {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    throw new Error('malformed intent: not UTF-8 JSON');
  }
  if (!isRecord(value) || typeof value.kind !== 'string') throw new Error('malformed intent: no kind');
  return value as unknown as Intent;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Strict base64 (the bridge's binary encoding); throws naming `what` when it is not. */
export function fromBase64(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new Error(`${what} is not valid base64`);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}
