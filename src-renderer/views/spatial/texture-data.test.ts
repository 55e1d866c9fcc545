import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from '../../bridge/base64';
import { hasImageSignature, imageBytesOf } from './texture-data';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]);

describe('imageBytesOf', () => {
  it('decodes base64 data with its mime and version', () => {
    const image = imageBytesOf({ mime: 'image/png', data: bytesToBase64(PNG), version: 3 });
    expect(image?.mime).toBe('image/png');
    expect([...(image?.bytes ?? [])]).toEqual([...PNG]);
    expect(image?.version).toBe('3');
  });

  it('accepts a data: URL instead of data', () => {
    const image = imageBytesOf({ src: `data:image/jpeg;base64,${bytesToBase64(JPEG)}` });
    expect(image?.mime).toBe('image/jpeg');
    expect(image?.bytes.length).toBe(JPEG.length);
  });

  it('refuses empty states, unknown types, junk and bytes that are not that image type', () => {
    expect(imageBytesOf(undefined)).toBeUndefined();
    expect(imageBytesOf({ mime: null, data: null })).toBeUndefined();
    expect(imageBytesOf({ mime: 'image/svg+xml', data: bytesToBase64(PNG) })).toBeUndefined();
    expect(imageBytesOf({ mime: 'image/jpeg', data: bytesToBase64(PNG) })).toBeUndefined();
    expect(imageBytesOf({ mime: 'image/png', data: '%%%not base64' })).toBeUndefined();
  });

  it('knows the signatures of PNG, JPEG, WebP and GIF', () => {
    const webp = new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 ');
    expect(hasImageSignature(webp, 'image/webp')).toBe(true);
    expect(hasImageSignature(new TextEncoder().encode('GIF89a'), 'image/gif')).toBe(true);
    expect(hasImageSignature(PNG, 'image/webp')).toBe(false);
  });
});
