// Length-prefixed frames over a TCP stream: a 4-byte big-endian payload length, then that many
// bytes of UTF-8 JSON. The decoder never throws on bad input; it reports it, and an oversized
// length is fatal for the stream because framing cannot be recovered after it.

export const FRAME_HEADER_BYTES = 4;

export function encodeFrame(message: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(message), 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

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
    if (this.failed) return [];
    this.chunks.push(data);
    this.buffered += data.length;
    const out: DecodedFrame[] = [];
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
      const payload = this.take(FRAME_HEADER_BYTES + length).subarray(FRAME_HEADER_BYTES);
      out.push(parsePayload(payload));
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

function parsePayload(payload: Buffer): DecodedFrame {
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
