// Parsing of untrusted client frames (protocol.ts ClientFrame). A frame whose id cannot be
// read cannot be answered, so it ends the connection; a readable id gets an error frame.
import type { ClientFrame, ServerFrame } from '../../../src-shared/bridge/protocol';
import { isCommandName } from '../../../src-shared/bridge/commands';
import { isPlainObject } from '../common/commands';

export type ParsedFrame =
  | { readonly kind: 'call'; readonly frame: ClientFrame }
  | { readonly kind: 'reject'; readonly reply: ServerFrame }
  | { readonly kind: 'fatal'; readonly reason: string };

export function parseClientFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'fatal', reason: 'malformed frame: not JSON' };
  }
  if (!isPlainObject(value)) return { kind: 'fatal', reason: 'malformed frame: not an object' };
  const { id, command, args } = value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return { kind: 'fatal', reason: 'malformed frame: id must be a non-negative integer' };
  }
  if (!isCommandName(command)) {
    const name = typeof command === 'string' ? `'${command.slice(0, 64)}'` : 'missing';
    return { kind: 'reject', reply: { id, ok: false, error: `unknown command ${name}` } };
  }
  if (!isPlainObject(args)) {
    return { kind: 'reject', reply: { id, ok: false, error: `${command}: args must be an object` } };
  }
  return { kind: 'call', frame: { id, command, args } };
}
