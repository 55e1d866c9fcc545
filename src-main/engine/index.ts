// Public API of the QSM multicast engine.

import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { GmsClient } from './gms/client';
import { loopbackMismatch } from './gms/failover';
import type { HandlerErrorHook } from './handler-errors';
import { QsmNode } from './node';
import type { Tunables } from './options';
import { bind } from './transport/udp';

export { QsmNode } from './node';
export { SendQueueFullError, type GroupSendHandle } from './sender';
export type { NodeOptions, StallHandler, ViewHandler } from './node';
export type { HandlerCall, HandlerErrorHook } from './handler-errors';
export type { GroupMessageHandler, MessageHandler } from './region/delivery';
export type { NodeStats } from './stats';
export type { RegionTransportStats } from './transport/chooser';
export type { RegionTransportKind } from './transport/routes';
export { DEFAULTS } from './options';
export type { Tunables } from './options';
export { FaultInjector } from './transport/faults';
export type { FaultOptions } from './transport/faults';
export type * from './membership';
// Not used by the engine: a process-wide V8 setting for the entry points that choose it.
export { DEFAULT_HEAP_HEADROOM_BYTES, processHeapHeadroom } from './util/heap-headroom';

export interface StartNodeOptions extends Partial<Tunables> {
  readonly gms: { readonly host: string; readonly port: number };
  readonly join?: readonly string[];
  /** Unicast address to bind; default 127.0.0.1 and a free port. */
  readonly host?: string;
  readonly port?: number;
  readonly heartbeatIntervalMs?: number;
  /** See NodeOptions.onError. */
  readonly onError?: HandlerErrorHook;
  /** Authenticates this node's datagrams and membership frames (derived from the workspace
   * key by the host); without it they are unauthenticated (loopback tests, benches). */
  readonly packetKey?: Uint8Array;
}

export interface StartedNode {
  readonly node: QsmNode;
  /** Its GMS client: `retarget` moves the node to another membership service. */
  readonly membership: GmsClient;
  /** Closes the node and its GMS client. */
  close(): Promise<void>;
}

/** Binds a unicast socket, registers with the GMS, creates the node and joins groups. */
export async function startNode(options: StartNodeOptions): Promise<StartedNode> {
  const { gms, join, host = '127.0.0.1', port = 0, heartbeatIntervalMs, packetKey, ...tunables } = options;
  const mismatch = loopbackMismatch({ host }, gms);
  if (mismatch) throw new Error(mismatch);
  const socket = dgram.createSocket({ type: 'udp4' });
  await bind(socket, port, host);
  const bound = socket.address();
  const self = { id: `${host}:${bound.port}/${randomBytes(4).toString('hex')}`, host, port: bound.port };
  const membership = new GmsClient({
    gms,
    self,
    ...(heartbeatIntervalMs ? { heartbeatIntervalMs } : {}),
    ...(packetKey && { packetKey }),
  });
  let node: QsmNode | undefined;
  try {
    await membership.start();
    node = await QsmNode.create({ membership, socket, ...tunables, ...(packetKey && { packetKey }) });
  } catch (e) {
    await membership.close();
    socket.close();
    throw e;
  }
  for (const g of join ?? []) node.join(g);
  const n = node;
  return {
    node: n,
    membership,
    async close() {
      await n.close();
      await membership.close();
    },
  };
}
