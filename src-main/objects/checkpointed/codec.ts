// A minimal bounds-checked binary writer/reader for the protocol's headers. Every read
// checks bounds and throws MalformedMessage, so a corrupt packet is dropped, never trusted.

export class MalformedMessage extends Error {
  constructor(reason: string) {
    super(`malformed checkpointed-channel message: ${reason}`);
    this.name = 'MalformedMessage';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class Writer {
  private buffer = new Uint8Array(64);
  private length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  u8(value: number): this {
    this.reserve(1);
    this.buffer[this.length++] = value & 0xff;
    return this;
  }

  /** Unsigned LEB128, exact up to Number.MAX_SAFE_INTEGER. */
  uint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a uint: ${value}`);
    let v = value;
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    return this.u8(v);
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Length-prefixed UTF-8. */
  string(value: string): this {
    const data = encoder.encode(value);
    return this.uint(data.length).bytes(data);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export class Reader {
  private offset = 0;

  constructor(private readonly data: Uint8Array) {}

  get remaining(): number {
    return this.data.length - this.offset;
  }

  u8(): number {
    const value = this.data[this.offset];
    if (value === undefined) throw new MalformedMessage('truncated');
    this.offset++;
    return value;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if (!Number.isSafeInteger(value)) throw new MalformedMessage('integer overflow');
      if ((byte & 0x80) === 0) return value;
      scale *= 0x80;
    }
  }

  bytes(n: number): Uint8Array {
    if (n > this.remaining) throw new MalformedMessage('truncated');
    const out = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  string(maxBytes = 1024): string {
    const n = this.uint();
    if (n > maxBytes) throw new MalformedMessage('string too long');
    try {
      return decoder.decode(this.bytes(n));
    } catch (error) {
      if (error instanceof MalformedMessage) throw error;
      throw new MalformedMessage('invalid UTF-8');
    }
  }

  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  end(): void {
    if (this.remaining !== 0) throw new MalformedMessage('trailing bytes');
  }
}
