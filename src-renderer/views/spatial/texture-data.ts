// Turns an image object's view state (base64 `data` + `mime`) into bytes for a three.js texture.
// Pure so it is unit-tested; the DOM decoding lives in useLiveryTexture.
import { base64ToBytes } from '../../bridge/base64';

export interface ImageBytes {
  readonly mime: string;
  readonly bytes: Uint8Array;
  /** Changes whenever the image does (the texture is rebuilt then). */
  readonly version: string;
}

const MIMES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

export function imageBytesOf(state: unknown): ImageBytes | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const r = state as Record<string, unknown>;
  let mime = typeof r.mime === 'string' ? r.mime : '';
  let data = typeof r.data === 'string' ? r.data : '';
  if (!data) {
    // A data: URL in `src`/`dataUrl` as image-state.ts accepts.
    for (const key of ['src', 'dataUrl'] as const) {
      const m = typeof r[key] === 'string' ? /^data:(image\/[\w.+-]+);base64,(.*)$/s.exec(r[key]) : null;
      if (m) {
        mime = m[1] as string;
        data = m[2] as string;
        break;
      }
    }
  }
  if (!data || !MIMES.has(mime)) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(data);
  } catch {
    return undefined;
  }
  if (bytes.length === 0 || !hasImageSignature(bytes, mime)) return undefined;
  const version =
    typeof r.version === 'string' || typeof r.version === 'number'
      ? String(r.version)
      : `${data.length}:${data.slice(0, 16)}:${data.slice(-16)}`;
  return { mime, bytes, version };
}

/** Magic numbers, so junk bytes never reach the image decoder. */
export function hasImageSignature(bytes: Uint8Array, mime: string): boolean {
  const at = (i: number, ...xs: number[]) => xs.every((x, k) => bytes[i + k] === x);
  switch (mime) {
    case 'image/png':
      return at(0, 0x89, 0x50, 0x4e, 0x47);
    case 'image/jpeg':
      return at(0, 0xff, 0xd8);
    case 'image/webp':
      return at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50);
    case 'image/gif':
      return at(0, 0x47, 0x49, 0x46);
    default:
      return false;
  }
}
