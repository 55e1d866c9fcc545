// CRC-32 (IEEE 802.3, reflected). Every data datagram is checksummed on both sides, so this
// is on the hot path: long inputs go to node:zlib's native crc32 (Node >= 20.15; ~4 GB/s,
// 2.5x our JS), short ones (tokens, NAKs: the native call costs ~0.2 µs) and runtimes
// without it to slicing-by-16 over 32-bit little-endian words (~6x the byte-at-a-time loop).

import zlib from 'node:zlib';

const SLICES = 16;

const T = (() => {
  const t = new Int32Array(256 * SLICES);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < SLICES; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
})();

/** Word reads through an Int32Array are little-endian only where the platform is. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Below this many bytes the JS loop beats the native call. */
const NATIVE_MIN_BYTES = 256;
const native: ((data: Uint8Array) => number) | undefined =
  typeof zlib.crc32 === 'function' ? zlib.crc32 : undefined;

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (native && end - start >= NATIVE_MIN_BYTES) {
    return native(new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start));
  }
  return crc32js(bytes, start, end);
}

/** The JS implementation (exported for tests). */
export function crc32js(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = T;
  let c = ~0;
  let i = start;
  // Bytes up to a 4-byte boundary, then 16 bytes per step as four aligned words.
  while (i < end && ((bytes.byteOffset + i) & 3) !== 0) c = t[(c ^ bytes[i++]!) & 0xff]! ^ (c >>> 8);
  const words = LITTLE_ENDIAN ? ((end - i) >>> 4) << 2 : 0;
  if (words > 0) {
    const w = new Int32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let j = 0; j < words; j += 4) {
      const a = c ^ w[j]!;
      const b = w[j + 1]!;
      const d = w[j + 2]!;
      const e = w[j + 3]!;
      c =
        t[3840 + (a & 0xff)]! ^
        t[3584 + ((a >>> 8) & 0xff)]! ^
        t[3328 + ((a >>> 16) & 0xff)]! ^
        t[3072 + (a >>> 24)]! ^
        t[2816 + (b & 0xff)]! ^
        t[2560 + ((b >>> 8) & 0xff)]! ^
        t[2304 + ((b >>> 16) & 0xff)]! ^
        t[2048 + (b >>> 24)]! ^
        t[1792 + (d & 0xff)]! ^
        t[1536 + ((d >>> 8) & 0xff)]! ^
        t[1280 + ((d >>> 16) & 0xff)]! ^
        t[1024 + (d >>> 24)]! ^
        t[768 + (e & 0xff)]! ^
        t[512 + ((e >>> 8) & 0xff)]! ^
        t[256 + ((e >>> 16) & 0xff)]! ^
        t[e >>> 24]!;
    }
    i += words * 4;
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
