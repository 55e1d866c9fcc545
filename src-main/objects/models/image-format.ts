// Recognises the image formats a shared image may hold, by magic bytes, and reads the pixel
// size from the header when that is cheap. Anything else is refused before it is sent.

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp';

export interface ImageInfo {
  readonly mime: ImageMime;
  readonly width?: number;
  readonly height?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffImage(bytes: Uint8Array): ImageInfo | undefined {
  if (startsWith(bytes, PNG_SIGNATURE, 0)) return withSize('image/png', pngSize(bytes));
  if (startsWith(bytes, [0xff, 0xd8, 0xff], 0)) return withSize('image/jpeg', jpegSize(bytes));
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return withSize('image/webp', webpSize(bytes));
  return undefined;
}

type Size = readonly [number, number] | undefined;

function withSize(mime: ImageMime, size: Size): ImageInfo {
  return size && size[0] > 0 && size[1] > 0 ? { mime, width: size[0], height: size[1] } : { mime };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], at: number): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  return startsWith(
    bytes,
    [...text].map((c) => c.charCodeAt(0)),
    at,
  );
}

const u8 = (b: Uint8Array, i: number): number => b[i] ?? 0;
const be16 = (b: Uint8Array, i: number): number => (u8(b, i) << 8) | u8(b, i + 1);
const le16 = (b: Uint8Array, i: number): number => u8(b, i) | (u8(b, i + 1) << 8);
const le24 = (b: Uint8Array, i: number): number => le16(b, i) | (u8(b, i + 2) << 16);
const be32 = (b: Uint8Array, i: number): number => be16(b, i) * 65536 + be16(b, i + 2);

function pngSize(b: Uint8Array): Size {
  // The first chunk must be IHDR: width and height are its first two 32-bit fields.
  if (b.length < 24 || !ascii(b, 12, 'IHDR')) return undefined;
  return [be32(b, 16), be32(b, 20)];
}

function jpegSize(b: Uint8Array): Size {
  // Walk the marker segments up to the first start-of-frame (SOF0..SOF15 but DHT/JPG/DAC).
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = u8(b, i + 1);
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return [be16(b, i + 7), be16(b, i + 5)];
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan data: no SOF before it
    i += 2 + be16(b, i + 2);
  }
  return undefined;
}

function webpSize(b: Uint8Array): Size {
  if (b.length < 30) return undefined;
  if (ascii(b, 12, 'VP8 ') && u8(b, 23) === 0x9d && u8(b, 24) === 0x01 && u8(b, 25) === 0x2a) {
    return [le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff];
  }
  if (ascii(b, 12, 'VP8L') && u8(b, 20) === 0x2f) {
    const b1 = u8(b, 21);
    const b2 = u8(b, 22);
    const b3 = u8(b, 23);
    const b4 = u8(b, 24);
    return [1 + (((b2 & 0x3f) << 8) | b1), 1 + (((b4 & 0x0f) << 10) | (b3 << 2) | ((b2 & 0xc0) >> 6))];
  }
  if (ascii(b, 12, 'VP8X')) return [1 + le24(b, 24), 1 + le24(b, 27)];
  return undefined;
}
