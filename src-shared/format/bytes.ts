// The bytes of a .liveobject file → its text. The file must be UTF-8 (liveobject-format.md);
// invalid UTF-8 is a FormatError at the line and column of the first invalid byte, so the user
// can find it. A byte order mark is kept for parseLiveObject, which allows exactly one.
import { SourceText } from './source';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

export function decodeLiveObject(bytes: Uint8Array, source?: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    // The valid prefix gives the position; a leading BOM is not a column (as in parseLiveObject).
    let prefix = lenient.decode(bytes.subarray(0, bad));
    if (prefix.charCodeAt(0) === 0xfeff) prefix = prefix.slice(1);
    const byte = `0x${bytes[bad]!.toString(16).toUpperCase().padStart(2, '0')}`;
    throw new SourceText(prefix, source).error(
      prefix.length,
      'UTF-8 text',
      `the byte ${byte}`,
      `not valid UTF-8: the byte ${byte} (at byte offset ${bad}) does not start or continue a UTF-8 character; save the file as UTF-8`,
    );
  }
}

/** The offset of the first byte that starts an invalid UTF-8 sequence (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (more === 0) return i;
    // The second byte's range excludes overlong forms, surrogates and code points > U+10FFFF.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    const second = b[i + 1];
    if (second === undefined || second < lo || second > hi) return i;
    for (let k = 2; k <= more; k++) {
      const next = b[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
    }
    i += more + 1;
  }
  return -1;
}
