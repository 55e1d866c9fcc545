import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64, formatValue, parseAddress, parseValue } from './values';

const binary = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

describe('base64', () => {
  it('agrees with btoa/atob', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(btoa(binary(bytes)));
        expect(decodeBase64(text)).toEqual(bytes);
      }),
    );
  });

  it('rejects non-canonical and malformed text with the offset of the fault', () => {
    expect(decodeBase64('QQ==')).toEqual(new Uint8Array([65]));
    expect(decodeBase64('QR==')).toBe(1); // non-zero bits under the padding
    expect(decodeBase64('QUI=')).toEqual(new Uint8Array([65, 66]));
    expect(decodeBase64('QUJ=')).toBe(2);
    expect(decodeBase64('QUJD=')).toBe(4);
    expect(decodeBase64('QU=D')).toBe(2);
    expect(decodeBase64('Q===')).toBe(1);
    expect(decodeBase64('QU JD')).toBe(4);
    expect(decodeBase64('QU-D')).toBe(2);
  });
});

describe('parseValue', () => {
  it('reads ints within the safe range only', () => {
    expect(parseValue('int', '+17')).toEqual({ ok: true, value: { type: 'int', value: 17 } });
    expect(parseValue('int', '-0')).toEqual({ ok: true, value: { type: 'int', value: 0 } });
    expect(parseValue('int', '9007199254740991').ok).toBe(true);
    expect(parseValue('int', '9007199254740992').ok).toBe(false);
    for (const bad of ['', '1.0', '1e3', '0x10', ' 1', '--1']) expect(parseValue('int', bad).ok).toBe(false);
  });

  it('reads finite doubles in JS number syntax', () => {
    for (const [text, n] of [
      ['1', 1],
      ['-2.5', -2.5],
      ['.5', 0.5],
      ['5.', 5],
      ['1e-7', 1e-7],
      ['+1E+3', 1000],
    ] as const) {
      expect(parseValue('double', text)).toEqual({ ok: true, value: { type: 'double', value: n } });
    }
    for (const bad of ['', 'NaN', 'Infinity', '1e309', '0x1', '1_000', '.', 'e5']) {
      expect(parseValue('double', bad).ok).toBe(false);
    }
  });

  it('reads bools as exactly true or false', () => {
    expect(parseValue('bool', 'false')).toEqual({ ok: true, value: { type: 'bool', value: false } });
    expect(parseValue('bool', 'True').ok).toBe(false);
  });

  it('writes doubles so that they read back exactly', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const parsed = parseValue('double', formatValue({ type: 'double', value: n }));
        expect(parsed.ok && Object.is(parsed.value.value, n)).toBe(true);
      }),
    );
  });
});

describe('parseAddress', () => {
  it('reads host:port and [IPv6]:port', () => {
    expect(parseAddress('10.0.0.5:7070')).toEqual({ host: '10.0.0.5', port: 7070 });
    expect(parseAddress('gms.example.org:0')).toEqual({ host: 'gms.example.org', port: 0 });
    expect(parseAddress('[::1]:65535')).toEqual({ host: '::1', port: 65535 });
    expect(parseAddress('[fe80::1%eth0]:80')).toEqual({ host: 'fe80::1%eth0', port: 80 });
  });

  it('rejects bad addresses, saying where and what was expected', () => {
    expect(parseAddress('host')).toEqual({ expected: 'host:port', offset: 4 });
    expect(parseAddress('host:65536')).toMatchObject({
      offset: 5,
      expected: 'a port number from 0 to 65535',
    });
    expect(parseAddress('host:-1')).toMatchObject({ offset: 5 });
    expect(parseAddress('host:')).toMatchObject({ offset: 5 });
    expect(parseAddress(':80')).toMatchObject({ offset: 0 });
    expect(parseAddress('::1:80')).toMatchObject({ offset: 0 });
    expect(parseAddress('[::1:80')).toMatchObject({ expected: "']' closing the IPv6 address" });
    expect(parseAddress('[::1]80')).toMatchObject({ offset: 5 });
    expect(parseAddress('[host]:80')).toMatchObject({ offset: 1 });
    expect(parseAddress('bad host:80')).toMatchObject({ offset: 0 });
  });
});
