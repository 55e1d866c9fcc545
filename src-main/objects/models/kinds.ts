// Every update, checkpoint and persisted state starts with [kind, version]. Kinds are unique
// across models so a message routed to the wrong model is recognised and dropped. The version
// byte lets a later release change a payload without misreading older peers.

export const MessageKind = {
  DesktopUpdate: 0x10,
  DesktopState: 0x11,
  NoteDocUpdate: 0x20,
  NoteAwareness: 0x21,
  NoteState: 0x22,
  ImageChunk: 0x30,
  ImageState: 0x31,
  Space3DUpdate: 0x40,
  Space3DState: 0x41,
  AirplaneUpdate: 0x42,
  AirplaneState: 0x43,
  BuildingUpdate: 0x44,
  BuildingState: 0x45,
  MapUpdate: 0x46,
  MapState: 0x47,
  /** Same [kind, version] header, written by src-shared/spatial/sample-codec.ts (not checkpointed). */
  CoordinateSamples: 0x50,
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

/** The only payload version this release writes and reads. */
export const FORMAT_VERSION = 1;

export function frame(kind: MessageKind, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 2);
  out[0] = kind;
  out[1] = FORMAT_VERSION;
  out.set(payload, 2);
  return out;
}

export type Unframed = { ok: true; kind: number; payload: Uint8Array } | { ok: false; reason: string };

/**
 * Splits off the header. `payload` is a copy with a buffer of its own: lib0 decoders (used by
 * Yjs and us) create views on `arr.buffer`, which could read past the end of a subarray.
 */
export function unframe(bytes: Uint8Array): Unframed {
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) return { ok: false, reason: 'message too short' };
  const kind = bytes[0] as number;
  const version = bytes[1] as number;
  if (version !== FORMAT_VERSION) return { ok: false, reason: `unsupported format version ${version}` };
  return { ok: true, kind, payload: bytes.slice(2) };
}
