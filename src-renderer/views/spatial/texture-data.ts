// Turns an image object's view state (its bytes and mime) into what a three.js texture is made
// from. Pure so it is unit-tested; the DOM decoding lives in useLiveryTexture.
import type { ViewStateOf } from '../../../src-shared/bridge/protocol';

export interface ImageBytes {
  readonly mime: string;
  readonly bytes: Uint8Array;
  /** Changes whenever the image does (the texture is rebuilt then). */
  readonly version: string;
}

export function imageBytesOf(state: ViewStateOf<'image'> | undefined): ImageBytes | undefined {
  if (!state?.data || !state.mime || !state.version) return undefined;
  if (state.data.length === 0 || !hasImageSignature(state.data, state.mime)) return undefined;
  return { mime: state.mime, bytes: state.data, version: state.version };
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
