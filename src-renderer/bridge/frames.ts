// Reads the web shell's server frames: one lib0-encoded value per binary message. Replies are
// checked here; an event frame is only split into name and data, which the EventHub checks
// (the same check the Electron transport's events get).
import { decodeFrame } from '../../src-shared/bridge/frame-codec';
import type { ReplyFrame } from '../../src-shared/bridge/protocol';
import { ReplyFrame as ReplyFrameSchema } from '../../src-shared/bridge/protocol';
import { describeIssues } from '../../src-shared/bridge/validate';

export type ServerMessage =
  | { readonly kind: 'reply'; readonly frame: ReplyFrame }
  | { readonly kind: 'event'; readonly event: unknown; readonly data: unknown };

export type ParsedFrame = { ok: true; message: ServerMessage } | { ok: false; reason: string };

/** `data` as a WebSocket delivers it: an ArrayBuffer (binaryType 'arraybuffer') or bytes. */
export function parseServerFrame(data: unknown): ParsedFrame {
  const bytes =
    data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : undefined;
  if (!bytes) return { ok: false, reason: 'frame is not binary' };
  let value: unknown;
  try {
    value = decodeFrame(bytes);
  } catch (error) {
    return { ok: false, reason: `frame is ${error instanceof Error ? error.message : 'unreadable'}` };
  }
  if (typeof value === 'object' && value !== null && 'event' in value) {
    return {
      ok: true,
      message: { kind: 'event', event: value.event, data: (value as { data?: unknown }).data },
    };
  }
  const reply = ReplyFrameSchema.safeParse(value);
  if (!reply.success) return { ok: false, reason: describeIssues(reply.error.issues, 'frame') };
  const frame: ReplyFrame = reply.data.ok
    ? { id: reply.data.id, ok: true, result: reply.data.result ?? null }
    : { id: reply.data.id, ok: false, error: reply.data.error || 'The host refused the request.' };
  return { ok: true, message: { kind: 'reply', frame } };
}
