// Reading untrusted client frames: one lib0-encoded `{ id, command, args }` per binary message
// (protocol.ts ClientFrame). A frame whose id cannot be read cannot be answered, so it ends the
// connection; the command and its arguments are checked by the host (checkCall), whose
// refusal is answered like any other error.
import { decodeFrame } from '../../../src-shared/bridge/frame-codec';
import { ClientFrameEnvelope } from '../../../src-shared/bridge/protocol';
import { describeIssues } from '../../../src-shared/bridge/validate';

export type ParsedFrame =
  | { readonly kind: 'call'; readonly id: number; readonly command: unknown; readonly args: unknown }
  | { readonly kind: 'fatal'; readonly reason: string };

export function parseClientFrame(bytes: Uint8Array): ParsedFrame {
  let value: unknown;
  try {
    value = decodeFrame(bytes);
  } catch (error) {
    return {
      kind: 'fatal',
      reason: `malformed frame: ${error instanceof Error ? error.message : 'unreadable'}`,
    };
  }
  const frame = ClientFrameEnvelope.safeParse(value);
  if (!frame.success)
    return { kind: 'fatal', reason: `malformed frame: ${describeIssues(frame.error.issues, 'frame')}` };
  return { kind: 'call', id: frame.data.id, command: frame.data.command, args: frame.data.args };
}
