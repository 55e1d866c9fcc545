// Bridge frames as bytes: one lib0 `any` value per frame (objects, arrays, strings, numbers,
// booleans, null, undefined and Uint8Array), so binary payloads stay bytes on the WebSocket
// and inside the host's UI endpoints. Decoding checks only that the bytes are one whole value;
// what the value means is checked by the bridge's schemas (validate.ts).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Encodes objects, arrays, strings, numbers, bigints, booleans, null, undefined and Uint8Array
 * (other values become undefined, an object's own enumerable keys are kept); throws on a cycle.
 */
export function encodeFrame(value: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  // lib0's parameter type rejects readonly arrays and interfaces; its code takes any value.
  encoding.writeAny(encoder, value as encoding.AnyEncodable);
  return encoding.toUint8Array(encoder);
}

/** The value in `bytes`; throws when they are not exactly one lib0-encoded value. */
export function decodeFrame(bytes: Uint8Array): unknown {
  // lib0 reads byte arrays as views into the underlying buffer without checking the bounds of
  // the view it was given: decode from a buffer that holds nothing but this frame.
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  const decoder = decoding.createDecoder(own);
  let value: unknown;
  try {
    value = decoding.readAny(decoder);
  } catch {
    throw new Error('not a lib0-encoded value');
  }
  if (decoding.hasContent(decoder)) throw new Error('bytes left over after the value');
  return value;
}
