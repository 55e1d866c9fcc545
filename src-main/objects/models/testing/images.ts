// Synthetic image files for tests: valid magic bytes and headers, pseudo-random bodies.

function body(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function png(size: number, seed = 1, width = 640, height = 480): Uint8Array {
  const out = body(Math.max(size, 33), seed);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52], 0);
  new DataView(out.buffer).setUint32(16, width);
  new DataView(out.buffer).setUint32(20, height);
  return out;
}

export function jpeg(size: number, seed = 1, width = 300, height = 200): Uint8Array {
  const out = body(Math.max(size, 40), seed);
  // SOI, an APP0 segment of 16 bytes, then SOF0 with height/width.
  out.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 0);
  out.set([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff], 20);
  return out;
}

export function webp(size: number, seed = 1, width = 1000, height = 700): Uint8Array {
  const out = body(Math.max(size, 40), seed);
  const ascii = (text: string, at: number): void =>
    out.set(
      [...text].map((c) => c.charCodeAt(0)),
      at,
    );
  ascii('RIFF', 0);
  ascii('WEBP', 8);
  ascii('VP8X', 12);
  const w = width - 1;
  const h = height - 1;
  out.set([w & 0xff, (w >> 8) & 0xff, w >> 16, h & 0xff, (h >> 8) & 0xff, h >> 16], 24);
  return out;
}
