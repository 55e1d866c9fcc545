// The "embedded default" (ARCHITECTURE.md): use the GMS at the configured address if one
// answers there, otherwise start one in this process, so the first app instance on a machine
// hosts the GMS and later ones join it.
import { connect } from 'node:net';
import { gmsKey } from './auth';
import { FramedConnection } from './connection';
import { parseServerMessage } from './protocol';
import type { ClientMessage, GmsStats, ServerMessage } from './protocol';
import { GmsServer } from './server';
import type { GmsServerOptions } from './server';

export type ProbeResult =
  | { readonly kind: 'gms'; readonly epoch: number }
  /** Nothing listens there (connection refused). */
  | { readonly kind: 'absent' }
  /** Something listens but does not speak the GMS protocol, the address is unreachable, or a
   * GMS there refused the key handshake (a reason saying so). */
  | { readonly kind: 'other'; readonly reason: string };

type Answer = { readonly message: ServerMessage } | { readonly error: Exclude<ProbeResult, { kind: 'gms' }> };

/** Sends one pre-registration request (after the key handshake, with a key) and waits for the
 * first answer. */
function ask(
  host: string,
  port: number,
  request: ClientMessage,
  timeoutMs: number,
  packetKey: Uint8Array | undefined,
): Promise<Answer> {
  return new Promise((resolve) => {
    let answer: Answer = { error: { kind: 'other', reason: `no answer within ${timeoutMs} ms` } };
    const socket = connect({ host, port });
    const key = packetKey && gmsKey(packetKey);
    const options = { maxFrameBytes: 1 << 20, role: 'client', ...(key && { key }) } as const;
    const connection = new FramedConnection(socket, options, {
      refused: (reason) => {
        answer = { error: { kind: 'other', reason: `a GMS refused the key handshake: ${reason}` } };
      },
      message: (value) => {
        const message = parseServerMessage(value);
        answer = message ? { message } : { error: { kind: 'other', reason: 'not a GMS' } };
        connection.close();
      },
      malformed: () => {
        answer = { error: { kind: 'other', reason: 'not a GMS' } };
      },
      closed: () => {
        clearTimeout(timer);
        resolve(answer);
      },
    });
    const timer = setTimeout(() => connection.close(), timeoutMs);
    socket.once('error', (error: NodeJS.ErrnoException) => {
      answer = {
        error: error.code === 'ECONNREFUSED' ? { kind: 'absent' } : { kind: 'other', reason: error.message },
      };
    });
    socket.once('connect', () => connection.send(request));
  });
}

/** Asks `host:port` whether it is a GMS (a `ping` answered by a `pong`); with `packetKey`, a
 * GMS that holds that key. */
export async function probeGms(
  host: string,
  port: number,
  timeoutMs = 1000,
  packetKey?: Uint8Array,
): Promise<ProbeResult> {
  const answer = await ask(host, port, { t: 'ping' }, timeoutMs, packetKey);
  if ('error' in answer) return answer.error;
  return answer.message.t === 'pong'
    ? { kind: 'gms', epoch: answer.message.epoch }
    : { kind: 'other', reason: 'not a GMS' };
}

/** The counters of the GMS at `host:port` (for operators and tests). */
export async function fetchGmsStats(
  host: string,
  port: number,
  timeoutMs = 1000,
  packetKey?: Uint8Array,
): Promise<GmsStats> {
  const answer = await ask(host, port, { t: 'stats' }, timeoutMs, packetKey);
  if ('error' in answer) {
    throw new Error(
      `GMS at ${host}:${port}: ${answer.error.kind === 'absent' ? 'nothing listens' : answer.error.reason}`,
    );
  }
  if (answer.message.t !== 'stats') throw new Error(`GMS at ${host}:${port} answered ${answer.message.t}`);
  return answer.message.stats;
}

export interface EmbeddedGmsOptions extends Omit<GmsServerOptions, 'host' | 'port'> {
  readonly host: string;
  readonly port: number;
  readonly probeTimeoutMs?: number;
}

export interface EmbeddedGms {
  /** Where the GMS is, whoever hosts it. */
  readonly address: { readonly host: string; readonly port: number };
  /** The server if this process hosts the GMS, undefined if another process does. */
  readonly server: GmsServer | undefined;
  /** Stops the server if this process hosts it. */
  close(): Promise<void>;
}

export async function startEmbeddedGms(options: EmbeddedGmsOptions): Promise<EmbeddedGms> {
  const { host, port, probeTimeoutMs = 1000, ...serverOptions } = options;
  // Two instances starting together may both find nobody; the loser of the listen race
  // then finds the winner on its second probe.
  for (let round = 0; round < 2; round++) {
    const probe = await probeGms(host, port, probeTimeoutMs, serverOptions.packetKey);
    if (probe.kind === 'gms')
      return { address: { host, port }, server: undefined, close: async () => undefined };
    if (probe.kind === 'other') throw new Error(`${host}:${port} does not answer as a GMS (${probe.reason})`);
    const server = new GmsServer({ ...serverOptions, host, port });
    try {
      const address = await server.start();
      return { address, server, close: () => server.close() };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  throw new Error(`could not reach or start a GMS at ${host}:${port}`);
}
