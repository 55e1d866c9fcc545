// Length-prefixed frames over a TCP stream: a 4-byte big-endian payload length, then that many
// bytes of UTF-8 JSON. The decoder never throws on bad input; it reports it, and an oversized
// length is fatal for the stream because framing cannot be recovered after it.

export const FRAME_HEADER_BYTES = 4;

export function encodeFrame(message: unknown, tag?: (payload: Buffer) => Buffer): Buffer {
  const payload = Buffer.from(JSON.stringify(message), 'utf8');
  const t = tag?.(payload);
  const length = payload.length + (t?.length ?? 0);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.writeUInt32BE(length, 0);
  payload.copy(frame, FRAME_HEADER_BYTES);
  t?.copy(frame, FRAME_HEADER_BYTES + payload.length);
  return frame;
}

/** A frame's payload, undecoded; or the end of the stream's trust (as in DecodedFrame). */
export type RawFrame =
  | { readonly kind: 'payload'; readonly payload: Buffer }
  | { readonly kind: 'fatal'; readonly reason: string };

export type DecodedFrame =
  | { readonly kind: 'message'; readonly value: unknown }
  /** Well-framed but not JSON: the frame is dropped, the stream stays usable. */
  | { readonly kind: 'malformed'; readonly reason: string }
  /** The stream cannot be trusted any more (oversized length prefix): close it. */
  | { readonly kind: 'fatal'; readonly reason: string };

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failed = false;

  constructor(private readonly maxFrameBytes: number) {}

  /** Feeds bytes; returns every frame they complete. After a fatal result, returns nothing. */
  push(data: Buffer): DecodedFrame[] {
    return this.payloads(data).map((f) => (f.kind === 'payload' ? parsePayload(f.payload) : f));
  }

  /** As push(), with the payloads left undecoded (authenticated frames end in a tag). */
  payloads(data: Buffer): RawFrame[] {
    if (this.failed) return [];
    this.chunks.push(data);
    this.buffered += data.length;
    const out: RawFrame[] = [];
    while (this.buffered >= FRAME_HEADER_BYTES) {
      const head = this.peek(FRAME_HEADER_BYTES);
      const length = head.readUInt32BE(0);
      if (length > this.maxFrameBytes) {
        this.failed = true;
        this.chunks = [];
        this.buffered = 0;
        out.push({
          kind: 'fatal',
          reason: `frame of ${length} bytes exceeds the ${this.maxFrameBytes}-byte limit`,
        });
        break;
      }
      if (this.buffered < FRAME_HEADER_BYTES + length) break;
      out.push({
        kind: 'payload',
        payload: this.take(FRAME_HEADER_BYTES + length).subarray(FRAME_HEADER_BYTES),
      });
    }
    return out;
  }

  private peek(bytes: number): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return (this.chunks[0] ?? Buffer.alloc(0)).subarray(0, bytes);
  }

  private take(bytes: number): Buffer {
    const all = this.chunks.length === 1 && this.chunks[0] ? this.chunks[0] : Buffer.concat(this.chunks);
    const taken = all.subarray(0, bytes);
    const rest = all.subarray(bytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return taken;
  }
}

export function parsePayload(payload: Buffer): DecodedFrame {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return { kind: 'malformed', reason: 'payload is not valid UTF-8' };
  }
  try {
    return { kind: 'message', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'malformed', reason: 'payload is not valid JSON' };
  }
}
