// Text forms of `<value type="…">` contents. Parsing is strict so that every value has
// exactly one canonical spelling, which the writer produces.
import { fromBase64, toBase64 } from 'lib0/buffer';
import type { Address, Value, ValueKind } from './document';

export const VALUE_KINDS: readonly ValueKind[] = ['string', 'int', 'double', 'bool', 'bytes', 'address'];

export function isValueKind(text: string): text is ValueKind {
  return (VALUE_KINDS as readonly string[]).includes(text);
}

/** Why a value text was rejected: what was expected, and where in the text (0-based). */
export interface ValueSyntaxError {
  readonly expected: string;
  readonly offset: number;
}

export type ValueParse =
  { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly error: ValueSyntaxError };

const INT = /^[+-]?[0-9]+$/;
const DOUBLE = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** Parses value text; `text` is already trimmed of surrounding whitespace unless kind is string. */
export function parseValue(kind: ValueKind, text: string): ValueParse {
  const fail = (expected: string, offset = 0): ValueParse => ({ ok: false, error: { expected, offset } });
  switch (kind) {
    case 'string':
      return { ok: true, value: { type: 'string', value: text } };
    case 'int': {
      const n = Number(text);
      if (!INT.test(text)) return fail('an integer (optional sign and decimal digits)');
      if (!Number.isSafeInteger(n))
        return fail(`an integer between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`);
      return { ok: true, value: { type: 'int', value: n === 0 ? 0 : n } };
    }
    case 'double': {
      const n = Number(text);
      if (!DOUBLE.test(text)) return fail('a decimal number such as 1.5 or -2e-3');
      if (!Number.isFinite(n)) return fail('a finite number');
      return { ok: true, value: { type: 'double', value: n } };
    }
    case 'bool':
      if (text === 'true' || text === 'false')
        return { ok: true, value: { type: 'bool', value: text === 'true' } };
      return fail('true or false');
    case 'bytes': {
      const bytes = decodeBase64(text);
      if (typeof bytes === 'number') return fail('base64 (A–Z a–z 0–9 + /, padded with =)', bytes);
      return { ok: true, value: { type: 'bytes', value: bytes } };
    }
    case 'address': {
      const address = parseAddress(text);
      if ('expected' in address) return { ok: false, error: address };
      return { ok: true, value: { type: 'address', value: address } };
    }
  }
}

/** The canonical text of a value, as the writer emits it. */
export function formatValue(value: Value): string {
  switch (value.type) {
    case 'string':
      return value.value;
    case 'int':
      return String(value.value);
    case 'double':
      // String() drops the sign of -0; keep it so the value survives a round trip.
      return Object.is(value.value, -0) ? '-0' : String(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'bytes':
      return encodeBase64(value.value);
    case 'address':
      return formatAddress(value.value);
  }
}

const HOSTNAME =
  /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[A-Za-z0-9_.-]+)?$/;

/** `host:port`, `[ipv6]:port`; port 0–65535. The host of an IPv6 address is kept without brackets. */
export function parseAddress(text: string): Address | ValueSyntaxError {
  let host: string;
  let rest: number; // offset of the ':' before the port
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return { expected: "']' closing the IPv6 address", offset: text.length };
    host = text.slice(1, close);
    if (!IPV6.test(host)) return { expected: 'an IPv6 address inside [ ]', offset: 1 };
    rest = close + 1;
    if (text[rest] !== ':') return { expected: "':' and a port after the IPv6 address", offset: rest };
  } else {
    rest = text.lastIndexOf(':');
    if (rest < 0) return { expected: 'host:port', offset: text.length };
    host = text.slice(0, rest);
    if (!HOSTNAME.test(host))
      return { expected: 'a host name or IPv4 address (IPv6 goes inside [ ])', offset: 0 };
  }
  const portText = text.slice(rest + 1);
  const port = Number(portText);
  if (!/^[0-9]{1,5}$/.test(portText) || port > 65535)
    return { expected: 'a port number from 0 to 65535', offset: rest + 1 };
  return { host, port };
}

export function formatAddress(address: Address): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SEXTET = new Map([...ALPHABET].map((c, i) => [c, i]));

export function encodeBase64(bytes: Uint8Array): string {
  return toBase64(bytes);
}

/**
 * Decodes canonical padded base64; on failure returns the offset of the first bad character.
 * The text is checked here, since decoders (atob, Buffer) accept spellings a file must not use.
 */
export function decodeBase64(text: string): Uint8Array | number {
  const bad = nonCanonicalBase64At(text);
  return bad === undefined ? fromBase64(text) : bad;
}

function nonCanonicalBase64At(text: string): number | undefined {
  if (text.length % 4 !== 0) return text.length - (text.length % 4);
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  for (let i = 0; i < text.length - pad; i++) if (!SEXTET.has(text[i]!)) return i;
  // Non-zero bits under the padding would make a second spelling of the same bytes.
  const last = text.length - pad - 1;
  const unused = pad === 2 ? 0x0f : pad === 1 ? 0x03 : 0;
  return (SEXTET.get(text[last] ?? 'A')! & unused) !== 0 ? last : undefined;
}
