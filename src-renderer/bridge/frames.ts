// Validates ServerFrames arriving as JSON text: the socket is a trust boundary of sorts, and a
// malformed frame must be reported, not crash the renderer.
import type { EventName, ServerFrame } from '../../src-shared/bridge/protocol';

const EVENT_NAMES: ReadonlySet<string> = new Set<EventName>([
  'state',
  'note.update',
  'note.awareness',
  'presence',
  'stream.samples',
  'error',
  'opened',
]);

export type ParsedFrame = { ok: true; frame: ServerFrame } | { ok: false; reason: string };

export function parseServerFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'frame is not JSON' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, reason: 'frame is not an object' };
  const record = value as Record<string, unknown>;
  if (typeof record.event === 'string') {
    if (!EVENT_NAMES.has(record.event)) return { ok: false, reason: `unknown event "${record.event}"` };
    return { ok: true, frame: { event: record.event as EventName, data: record.data } };
  }
  if (typeof record.id !== 'number' || !Number.isInteger(record.id))
    return { ok: false, reason: 'frame has no id' };
  if (record.ok === true)
    return { ok: true, frame: { id: record.id, ok: true, result: record.result ?? null } };
  if (record.ok === false) {
    const error =
      typeof record.error === 'string' && record.error ? record.error : 'The host refused the request.';
    return { ok: true, frame: { id: record.id, ok: false, error } };
  }
  return { ok: false, reason: 'frame has neither ok nor event' };
}
