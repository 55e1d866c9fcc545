import { describe, expect, it } from 'vitest';
import type { ViewStateOf } from '../../../src-shared/bridge/protocol';
import { hasImageSignature, imageBytesOf } from './texture-data';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]);

function image(state: Partial<ViewStateOf<'image'>>): ViewStateOf<'image'> {
  return {
    kind: 'image',
    mime: null,
    data: null,
    version: null,
    width: null,
    height: null,
    size: 0,
    uploads: [],
    ...state,
  };
}

describe('imageBytesOf', () => {
  it('takes the bytes with their mime and version', () => {
    const got = imageBytesOf(image({ mime: 'image/png', data: PNG, version: '3@n1' }));
    expect(got?.mime).toBe('image/png');
    expect([...(got?.bytes ?? [])]).toEqual([...PNG]);
    expect(got?.version).toBe('3@n1');
    expect(imageBytesOf(image({ mime: 'image/jpeg', data: JPEG, version: '4@n1' }))?.bytes.length).toBe(
      JPEG.length,
    );
  });

  it('refuses empty states and bytes that are not that image type', () => {
    expect(imageBytesOf(undefined)).toBeUndefined();
    expect(imageBytesOf(image({}))).toBeUndefined();
    expect(imageBytesOf(image({ mime: 'image/jpeg', data: PNG, version: '1@a' }))).toBeUndefined();
    expect(
      imageBytesOf(image({ mime: 'image/png', data: new Uint8Array(), version: '1@a' })),
    ).toBeUndefined();
    expect(imageBytesOf(image({ mime: 'image/png', data: PNG, version: null }))).toBeUndefined();
  });

  it('knows the signatures of PNG, JPEG, WebP and GIF', () => {
    const webp = new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 ');
    expect(hasImageSignature(webp, 'image/webp')).toBe(true);
    expect(hasImageSignature(new TextEncoder().encode('GIF89a'), 'image/gif')).toBe(true);
    expect(hasImageSignature(PNG, 'image/webp')).toBe(false);
    expect(hasImageSignature(PNG, 'image/svg+xml')).toBe(false);
  });
});
