// One WebSocket connection carried onto one BridgeSession: client frames become session
// calls, results and errors become reply frames, session events become event frames. Every
// frame is binary, one lib0-encoded value (src-shared/bridge/frame-codec.ts), so Yjs updates
// and image bytes cross as bytes.
import type { RawData, WebSocket } from 'ws';
import { encodeFrame } from '../../../src-shared/bridge/frame-codec';
import type { ServerFrame } from '../../../src-shared/bridge/protocol';
import type { BridgeSession } from '../../host/bridge-host';
import { checkCall, runCall } from '../../host/bridge-host';
import { errorMessage } from '../common/commands';
import { parseClientFrame } from './frames';

export interface SocketBridgeOptions {
  /** Called once, after the first successful `hello` reply: the renderer is listening. */
  readonly onHello?: () => void;
  /** Close the connection when a client reads this far behind (default 64 MiB). */
  readonly maxBufferedBytes?: number;
  readonly log?: (line: string) => void;
}

/** Policy-violation close code: the client broke the protocol. */
const CLOSE_PROTOCOL = 1008;
const CLOSE_UNSUPPORTED = 1003;

/** Resolves once the socket has closed and the session with it. */
export function bridgeSocket(
  socket: WebSocket,
  session: BridgeSession,
  options: SocketBridgeOptions = {},
): Promise<void> {
  const maxBuffered = options.maxBufferedBytes ?? 64 * 1024 * 1024;
  const log = options.log ?? (() => {});
  let helloSeen = false;

  const send = (frame: ServerFrame): void => {
    if (socket.readyState !== socket.OPEN) return;
    let bytes: Uint8Array;
    try {
      bytes = encodeFrame(frame);
    } catch (error) {
      // A result the host could not serialise is still answered, as an error.
      if ('id' in frame)
        send({ id: frame.id, ok: false, error: `unserialisable result: ${errorMessage(error)}` });
      else log(`web shell: dropped unserialisable '${frame.event}' event: ${errorMessage(error)}`);
      return;
    }
    if (socket.bufferedAmount + bytes.length > maxBuffered) {
      socket.close(CLOSE_PROTOCOL, 'client is not reading its frames');
      return;
    }
    socket.send(bytes);
  };

  const run = async (id: number, command: unknown, args: unknown): Promise<void> => {
    try {
      const call = checkCall(command, args);
      const result = await runCall(session, call);
      send({ id, ok: true, result: result ?? null });
      if (call.command === 'hello' && !helloSeen) {
        helloSeen = true;
        options.onHello?.();
      }
    } catch (error) {
      send({ id, ok: false, error: errorMessage(error) });
    }
  };

  const unsubscribe = session.onEvent((event, data) => send({ event, data }));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (!isBinary) {
      socket.close(CLOSE_UNSUPPORTED, 'text frames are not supported: frames are lib0-encoded binary');
      return;
    }
    const parsed = parseClientFrame(rawBytes(data));
    if (parsed.kind === 'fatal') socket.close(CLOSE_PROTOCOL, parsed.reason);
    else void run(parsed.id, parsed.command, parsed.args);
  });
  // ws reports oversized or invalid frames here and then closes the socket.
  socket.on('error', (error) => log(`web shell: socket error: ${error.message}`));

  return new Promise((resolve) => {
    socket.once('close', () => {
      unsubscribe();
      session
        .close()
        .catch((error: unknown) => log(`web shell: closing a session failed: ${errorMessage(error)}`))
        .finally(resolve);
    });
  });
}

function rawBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : new Uint8Array(data);
}
