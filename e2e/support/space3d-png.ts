// A tiny PNG decoder (8-bit RGB/RGBA, non-interlaced: what Chromium's screenshots are) over
// node:zlib, and pixel statistics for asserting that a 3D canvas shows something.
import { inflateSync } from 'node:zlib';

export interface Rgba {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes, row-major. */
  readonly data: Uint8Array;
}

export function decodePng(png: Buffer): Rgba {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const colour = body[9];
      if (depth !== 8 || body[12] !== 0 || (colour !== 2 && colour !== 6))
        throw new Error(`unsupported PNG (depth ${depth}, colour type ${colour}, interlace ${body[12]})`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (cur[i - channels] ?? 0) : 0;
      const b = prev[i] ?? 0;
      const c = i >= channels ? (prev[i - channels] ?? 0) : 0;
      const x = line[i] ?? 0;
      let v: number;
      switch (filter) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + a;
          break;
        case 2:
          v = x + b;
          break;
        case 3:
          v = x + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter}`);
      }
      cur[i] = v & 0xff;
    }
    for (let px = 0; px < width; px++) {
      for (let k = 0; k < 4; k++) {
        out[(y * width + px) * 4 + k] = k < channels ? (cur[px * channels + k] ?? 0) : 255;
      }
    }
    prev = cur;
  }
  return { width, height, data: out };
}

export const hexRgb = (hex: string): [number, number, number] => {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
};

export function pixel(img: Rgba, x: number, y: number): [number, number, number] {
  const i = (Math.round(y) * img.width + Math.round(x)) * 4;
  return [img.data[i] ?? 0, img.data[i + 1] ?? 0, img.data[i + 2] ?? 0];
}

/** Euclidean distance of two triples (RGB colours, or scene points). */
export const distance = (a: readonly number[], b: readonly number[]): number =>
  Math.hypot((a[0] ?? 0) - (b[0] ?? 0), (a[1] ?? 0) - (b[1] ?? 0), (a[2] ?? 0) - (b[2] ?? 0));

export interface PixelStats {
  /** Distinct colours, quantised to 5 bits per channel. */
  readonly distinct: number;
  /** Share of pixels farther than `tolerance` from `background`. */
  readonly nonBackground: number;
}

export function pixelStats(img: Rgba, background: string, tolerance = 12): PixelStats {
  const bg = hexRgb(background);
  const colours = new Set<number>();
  let other = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const p = pixel(img, x, y);
      colours.add(((p[0] >> 3) << 10) | ((p[1] >> 3) << 5) | (p[2] >> 3));
      if (distance(p, bg) > tolerance) other++;
    }
  }
  return { distinct: colours.size, nonBackground: other / (img.width * img.height) };
}

/** Pixels within `radius` of (cx, cy) whose colour is within `tolerance` of `colour` (any of them). */
export function countNear(
  img: Rgba,
  cx: number,
  cy: number,
  radius: number,
  match: (p: [number, number, number]) => boolean,
): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(cy - radius)); y <= Math.min(img.height - 1, cy + radius); y++) {
    for (let x = Math.max(0, Math.floor(cx - radius)); x <= Math.min(img.width - 1, cx + radius); x++) {
      if (match(pixel(img, x, y))) n++;
    }
  }
  return n;
}

/** A predicate: within `tolerance` (RGB distance) of `hex`. */
export const near =
  (hex: string, tolerance: number) =>
  (p: readonly number[]): boolean =>
    distance(p, hexRgb(hex)) <= tolerance;
