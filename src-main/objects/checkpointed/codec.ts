// The protocol's headers are lib0 encodings (unsigned LEB128 varints, varint-length-prefixed
// UTF-8), the same as Yjs's. Encoding uses lib0 directly; decoding goes through these reads,
// because lib0 leaves a single byte unchecked, returns varints beyond 2^53 as inexact numbers
// and throws plain Errors. Here every malformed input throws MalformedMessage, so a corrupt
// packet is counted and dropped, never trusted, and any other error is a bug to report.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export class MalformedMessage extends Error {
  constructor(reason: string) {
    super(`malformed checkpointed-channel message: ${reason}`);
    this.name = 'MalformedMessage';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** lib0's writeVarUint silently mangles negative and inexact numbers: refuse them. */
export function writeUint(encoder: encoding.Encoder, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a uint: ${value}`);
  encoding.writeVarUint(encoder, value);
}

function lib0Read<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    // lib0's decoders throw only for input that ends early or overflows.
    throw new MalformedMessage(error instanceof Error ? error.message : String(error));
  }
}

export function remaining(decoder: decoding.Decoder): number {
  return decoder.arr.length - decoder.pos;
}

export function readByte(decoder: decoding.Decoder): number {
  if (remaining(decoder) < 1) throw new MalformedMessage('truncated');
  return decoding.readUint8(decoder);
}

/** An unsigned varint, exact up to Number.MAX_SAFE_INTEGER. */
export function readUint(decoder: decoding.Decoder): number {
  const value = lib0Read(() => decoding.readVarUint(decoder));
  if (!Number.isSafeInteger(value)) throw new MalformedMessage('integer overflow');
  return value;
}

/** A varint-length-prefixed UTF-8 string of at most `maxBytes` bytes. */
export function readString(decoder: decoding.Decoder, maxBytes = 1024): string {
  const bytes = lib0Read(() => decoding.readVarUint8Array(decoder));
  if (bytes.length > maxBytes) throw new MalformedMessage('string too long');
  try {
    return utf8.decode(bytes);
  } catch {
    throw new MalformedMessage('invalid UTF-8');
  }
}

/** The bytes after the header (a view, not a copy). */
export function readRest(decoder: decoding.Decoder): Uint8Array {
  return decoding.readTailAsUint8Array(decoder);
}

export function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new MalformedMessage('trailing bytes');
}
