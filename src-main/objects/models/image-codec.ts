// Image chunks and states on the wire (lib0 varints; docs/objects.md). Decoders validate
// shapes and bounds and return a reason instead of throwing.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Stamp } from './lamport';
import { isValidSender, isValidTime } from './lamport';

export const IMAGE_LIMITS = {
  maxBytes: 8 * 1024 * 1024,
  /** Chunk size we send; well under a multicast message's comfortable size. */
  chunkBytes: 48 * 1024,
  /** Largest chunk we accept from others. */
  maxChunkBytes: 64 * 1024,
  /** An upload with no new chunk for this long is abandoned. */
  uploadTimeoutMs: 60_000,
  /** Incomplete uploads kept at once; the oldest-stamped is abandoned first. */
  maxPendingUploads: 4,
} as const;

export const SHA256_BYTES = 32;

/** What every chunk of one upload repeats, so any chunk can start the reassembly. */
export interface UploadHeader {
  readonly stamp: Stamp;
  readonly count: number;
  readonly total: number;
  readonly sha256: Uint8Array;
}

export interface Chunk extends UploadHeader {
  readonly index: number;
  readonly data: Uint8Array;
}

export interface StoredImage {
  readonly stamp: Stamp;
  readonly sha256: Uint8Array;
  readonly bytes: Uint8Array;
}

export interface PendingUpload extends UploadHeader {
  readonly chunks: ReadonlyMap<number, Uint8Array>;
}

export interface ImageStateData {
  readonly current?: StoredImage;
  readonly pending: readonly PendingUpload[];
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

class Invalid extends Error {}

function check(condition: boolean, reason: string): asserts condition {
  if (!condition) throw new Invalid(reason);
}

function guard<T>(what: string, read: () => T): Decoded<T> {
  try {
    return { ok: true, value: read() };
  } catch (error) {
    const reason = error instanceof Invalid ? error.message : 'truncated or malformed';
    return { ok: false, reason: `${what}: ${reason}` };
  }
}

function writeHeader(e: encoding.Encoder, h: UploadHeader): void {
  encoding.writeVarUint(e, h.stamp.t);
  encoding.writeVarString(e, h.stamp.s);
  encoding.writeVarUint(e, h.count);
  encoding.writeVarUint(e, h.total);
  encoding.writeUint8Array(e, h.sha256);
}

function readStamp(d: decoding.Decoder): Stamp {
  const t = decoding.readVarUint(d);
  const s = decoding.readVarString(d);
  check(isValidTime(t), 'bad Lamport time');
  check(isValidSender(s), 'bad sender');
  return { t, s };
}

function readHeader(d: decoding.Decoder): UploadHeader {
  const stamp = readStamp(d);
  const count = decoding.readVarUint(d);
  const total = decoding.readVarUint(d);
  const sha256 = decoding.readUint8Array(d, SHA256_BYTES).slice();
  check(total >= 1 && total <= IMAGE_LIMITS.maxBytes, `size ${total} out of bounds`);
  check(count >= 1 && count <= total && count * IMAGE_LIMITS.maxChunkBytes >= total, 'bad chunk count');
  return { stamp, count, total, sha256 };
}

function readChunkData(d: decoding.Decoder, count: number): { index: number; data: Uint8Array } {
  const index = decoding.readVarUint(d);
  check(index < count, 'chunk index out of range');
  const data = decoding.readVarUint8Array(d).slice();
  check(data.length >= 1 && data.length <= IMAGE_LIMITS.maxChunkBytes, 'bad chunk length');
  return { index, data };
}

export function encodeChunk(chunk: Chunk): Uint8Array {
  const e = encoding.createEncoder();
  writeHeader(e, chunk);
  encoding.writeVarUint(e, chunk.index);
  encoding.writeVarUint8Array(e, chunk.data);
  return encoding.toUint8Array(e);
}

/** `payload` must own its buffer (kinds.unframe guarantees it). */
export function decodeChunk(payload: Uint8Array): Decoded<Chunk> {
  return guard('image chunk', () => {
    const d = decoding.createDecoder(payload);
    const header = readHeader(d);
    const { index, data } = readChunkData(d, header.count);
    check(!decoding.hasContent(d), 'trailing bytes');
    return { ...header, index, data };
  });
}

export function encodeState(state: ImageStateData): Uint8Array {
  const e = encoding.createEncoder();
  const { current } = state;
  encoding.writeVarUint(e, current ? 1 : 0);
  if (current) {
    encoding.writeVarUint(e, current.stamp.t);
    encoding.writeVarString(e, current.stamp.s);
    encoding.writeUint8Array(e, current.sha256);
    encoding.writeVarUint8Array(e, current.bytes);
  }
  encoding.writeVarUint(e, state.pending.length);
  for (const upload of state.pending) {
    writeHeader(e, upload);
    encoding.writeVarUint(e, upload.chunks.size);
    for (const [index, data] of upload.chunks) {
      encoding.writeVarUint(e, index);
      encoding.writeVarUint8Array(e, data);
    }
  }
  return encoding.toUint8Array(e);
}

export function decodeState(payload: Uint8Array): Decoded<ImageStateData> {
  return guard('image state', () => {
    const d = decoding.createDecoder(payload);
    let current: StoredImage | undefined;
    const has = decoding.readVarUint(d);
    check(has === 0 || has === 1, 'bad current flag');
    if (has === 1) {
      const stamp = readStamp(d);
      const sha256 = decoding.readUint8Array(d, SHA256_BYTES).slice();
      const bytes = decoding.readVarUint8Array(d).slice();
      check(bytes.length >= 1 && bytes.length <= IMAGE_LIMITS.maxBytes, 'image size out of bounds');
      current = { stamp, sha256, bytes };
    }
    const pending: PendingUpload[] = [];
    const n = decoding.readVarUint(d);
    check(n <= IMAGE_LIMITS.maxPendingUploads * 4, 'too many pending uploads');
    for (let i = 0; i < n; i++) {
      const header = readHeader(d);
      const chunks = new Map<number, Uint8Array>();
      const k = decoding.readVarUint(d);
      check(k <= header.count, 'too many chunks');
      for (let j = 0; j < k; j++) {
        const { index, data } = readChunkData(d, header.count);
        chunks.set(index, data);
      }
      pending.push({ ...header, chunks });
    }
    check(!decoding.hasContent(d), 'trailing bytes');
    return current ? { current, pending } : { pending };
  });
}
