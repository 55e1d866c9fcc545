// Bounds-checked big-endian reader, a growable writer, and the wire strings they share (cached
// encodings, interned decodings). The reader throws WireError, which the decoder turns into a
// counted drop; nothing here escapes into a socket handler.

export class WireError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });
const textEncoder = new TextEncoder();
const encodedStrings = new Map<string, Uint8Array>();

/** UTF-8 bytes of a wire string, cached: node ids and region ids repeat on every datagram
 * (the encoding counterpart of the decode-side intern table below). */
export function strBytes(s: string): Uint8Array {
  let b = encodedStrings.get(s);
  if (!b) {
    b = textEncoder.encode(s);
    if (b.length === 0 || b.length > 255) throw new Error(`wire string length ${b.length} out of range`);
    // Bounded: ids of nodes and regions seen, far fewer than this.
    if (encodedStrings.size >= 65_536) encodedStrings.clear();
    encodedStrings.set(s, b);
  }
  return b;
}

/** Decoded short strings (node ids, region ids) by a hash of their bytes: a datagram's
 * strings repeat in every datagram, and a hit skips the UTF-8 decode and returns the same
 * string object each time, so the Maps keyed by it compare by identity and never rehash.
 * A slot holds one entry (a colliding string replaces it), so the table stays bounded. */
const INTERN_SLOTS = 1 << 14;
const internBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(INTERN_SLOTS);
const internStrings: string[] = new Array<string>(INTERN_SLOTS);

function sameBytes(a: Uint8Array, b: Uint8Array, at: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

/** The string of the UTF-8 bytes b[p, p + n), from the intern table when it holds them. */
export function internedString(b: Uint8Array, p: number, n: number): string {
  let h = 0x811c9dc5 ^ n; // FNV-1a
  for (let i = 0; i < n; i++) h = Math.imul(h ^ b[p + i]!, 16777619);
  const slot = h & (INTERN_SLOTS - 1);
  const known = internBytes[slot];
  if (known !== undefined && known.length === n && sameBytes(known, b, p)) return internStrings[slot]!;
  let s: string;
  try {
    s = textDecoder.decode(b.subarray(p, p + n));
  } catch {
    throw new WireError('bad-string');
  }
  internBytes[slot] = b.slice(p, p + n);
  internStrings[slot] = s;
  return s;
}

export class Reader {
  private pos: number;
  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }
  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  private need(n: number): void {
    if (this.pos + n > this.end) throw new WireError('truncated');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }
  /** Unsigned integer up to 2^53 - 1 as two u32 (view ids may be time-based and exceed u32). */
  u53(): number {
    const hi = this.u32();
    const lo = this.u32();
    if (hi > 0x1fffff) throw new WireError('absurd-view');
    return hi * 0x100000000 + lo;
  }
  /** Short string: u8 length + UTF-8 bytes, at most `max` bytes and non-empty. */
  str(max = 255): string {
    const n = this.u8();
    if (n === 0 || n > max) throw new WireError('bad-string');
    this.need(n);
    const s = internedString(this.buf, this.pos, n);
    this.pos += n;
    return s;
  }
  /** Skips `n` bytes; returns where they start. */
  skip(n: number): number {
    this.need(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }
  /** u32 length + bytes; a view into the datagram, copied by the caller if kept. */
  bytes(max: number): Uint8Array {
    const n = this.u32();
    if (n > max) throw new WireError('oversized');
    this.need(n);
    // A plain Uint8Array view: cheaper to make than a Buffer's subarray.
    const v = new Uint8Array(this.buf.buffer, this.buf.byteOffset + this.pos, n);
    this.pos += n;
    return v;
  }
}

export class Writer {
  private buf: Uint8Array;
  private pos = 0;
  constructor(size = 256) {
    this.buf = new Uint8Array(size);
  }
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  get length(): number {
    return this.pos;
  }
  u8(v: number): this {
    this.room(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.room(2);
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.buf[this.pos++] = (v >>> 24) & 0xff;
    this.buf[this.pos++] = (v >>> 16) & 0xff;
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }
  u53(v: number): this {
    return this.u32(Math.floor(v / 0x100000000)).u32(v >>> 0);
  }
  str(s: string): this {
    const b = strBytes(s);
    this.u8(b.length);
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.u32(b.length);
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  /** Overwrites 4 bytes at `at` (used for the checksum). */
  patchU32(at: number, v: number): void {
    this.buf[at] = (v >>> 24) & 0xff;
    this.buf[at + 1] = (v >>> 16) & 0xff;
    this.buf[at + 2] = (v >>> 8) & 0xff;
    this.buf[at + 3] = v & 0xff;
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
