// Test support: a client whose state is an append-only log per origin, so duplicates, gaps
// and misordering show up as errors, plus helpers to drive nodes on a MemoryNetwork.

import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { MemberId } from '../channel/group-channel';
import type { MemoryNetwork } from '../channel/memory-network';
import type { CheckpointedClient } from './checkpointed-channel';
import type { CheckpointedChannelOptions } from './checkpointed-channel';
import { CheckpointedChannel } from './checkpointed-channel';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class LogClient implements CheckpointedClient {
  readonly logs = new Map<string, number[]>();
  readonly errors: string[] = [];
  initialized = 0;
  received = 0;
  /** Opaque extra state carried in checkpoints (to test large transfers). */
  blob: Uint8Array;

  constructor(blob: Uint8Array = new Uint8Array(0)) {
    this.blob = blob;
  }

  receive(sender: MemberId, update: Uint8Array): void {
    this.received++;
    const [origin, n] = decoder.decode(update).split(':');
    if (origin !== sender) this.errors.push(`update ${origin}:${n} delivered as from ${sender}`);
    const log = this.logs.get(origin ?? '') ?? [];
    const value = Number(n);
    if (value !== log.length + 1) this.errors.push(`${origin}: got ${value} after ${log.length}`);
    log.push(value);
    this.logs.set(origin ?? '', log);
  }

  initialize(checkpoint: Uint8Array): void {
    if (this.initialized++ > 0) this.errors.push('initialized twice');
    if (this.received > 0) this.errors.push('initialized after receiving updates');
    const d = decoding.createDecoder(checkpoint);
    const logs = JSON.parse(decoding.readVarString(d)) as [string, number[]][];
    for (const [origin, log] of logs) this.logs.set(origin, log);
    this.blob = decoding.readTailAsUint8Array(d).slice();
  }

  checkpoint(): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, JSON.stringify([...this.logs]));
    encoding.writeUint8Array(e, this.blob);
    return encoding.toUint8Array(e);
  }

  /** Canonical state for comparisons. */
  snapshot(): string {
    return JSON.stringify([...this.logs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

export interface TestNode {
  readonly id: MemberId;
  readonly channel: CheckpointedChannel;
  readonly client: LogClient;
  /** Sends this node's next update ("id:n"). */
  sendNext(): Promise<void>;
  sent(): number;
}

export function addNode(
  net: MemoryNetwork,
  id: MemberId,
  options: CheckpointedChannelOptions = {},
  client = new LogClient(),
): TestNode {
  const channel = new CheckpointedChannel(net.join(id), client, { timers: net.clock, ...options });
  let count = 0;
  // Sends refused because the node closed first never happened (they can only be the last).
  let refused = 0;
  return {
    id,
    channel,
    client,
    sendNext: () =>
      channel.send(encoder.encode(`${id}:${++count}`)).catch((error: unknown) => {
        refused++;
        throw error;
      }),
    sent: () => count - refused,
  };
}

/** Makes `node` send an update every `intervalMs` until `stopAt` (virtual time). */
export function stream(net: MemoryNetwork, node: TestNode, intervalMs: number, stopAt: number): void {
  const tick = (): void => {
    if (net.clock.now >= stopAt || node.channel.state === 'closed') return;
    void node.sendNext().catch(() => undefined);
    net.clock.setTimeout(tick, intervalMs);
  };
  net.clock.setTimeout(tick, intervalMs);
}

/** Asserts-by-return: the list of problems (empty when every node holds the same complete state). */
export function convergenceProblems(
  nodes: readonly TestNode[],
  senders: readonly TestNode[] = nodes,
): string[] {
  const problems: string[] = [];
  const live = nodes.filter((n) => n.channel.state !== 'closed');
  for (const node of live) {
    if (node.channel.state !== 'ready') problems.push(`${node.id} is ${node.channel.state}`);
    for (const error of node.client.errors) problems.push(`${node.id}: ${error}`);
    for (const sender of senders) {
      const have = node.client.logs.get(sender.id)?.length ?? 0;
      if (have !== sender.sent()) problems.push(`${node.id} has ${have}/${sender.sent()} of ${sender.id}`);
    }
  }
  const first = live[0]?.client.snapshot();
  for (const node of live) if (node.client.snapshot() !== first) problems.push(`${node.id} diverges`);
  return problems;
}
