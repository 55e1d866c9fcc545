import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from './base64';

describe('base64', () => {
  it('round-trips bytes of every value, empty and large inputs', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
    expect(bytesToBase64(new Uint8Array())).toBe('');
    const big = Uint8Array.from({ length: 200_001 }, (_, i) => (i * 7919) % 256);
    const back = base64ToBytes(bytesToBase64(big));
    expect(back.length).toBe(big.length);
    expect(back.every((b, i) => b === big[i])).toBe(true);
  });

  it('matches the standard encoding', () => {
    expect(bytesToBase64(new TextEncoder().encode('live objects'))).toBe('bGl2ZSBvYmplY3Rz');
    expect(new TextDecoder().decode(base64ToBytes('bGl2ZSBvYmplY3Rz'))).toBe('live objects');
  });

  it('throws on text that is not base64', () => {
    expect(() => base64ToBytes('not base64 at all!')).toThrow();
  });
});
