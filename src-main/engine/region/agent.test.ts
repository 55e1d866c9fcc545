// The region agent alone, with a fake context: what a member asks for on a token visit.

import { describe, expect, it } from 'vitest';
import type { EngineContext } from '../context';
import type { NodeInfo, RegionView } from '../membership';
import { DEFAULTS } from '../options';
import { Lane, Scheduler } from '../scheduler/scheduler';
import { Counters } from '../stats';
import { decode, PacketType, TokenLevel, type NakPacket, type TokenPacket } from '../wire/packets';
import { RegionAgent } from './agent';
import { Delivery } from './delivery';

const node = (name: string, port: number): NodeInfo => ({
  id: `127.0.0.1:${port}/${name}`,
  host: '127.0.0.1',
  port,
});
// Sorted by id: A is rank 0 (region and partition leader), B rank 1, C rank 2; one partition.
const A = node('a', 1001);
const B = node('b', 1002);
const C = node('c', 1003);
const view: RegionView = {
  region: 'r-test',
  viewId: 7,
  groups: ['g'],
  members: [A, B, C],
  multicast: { address: '239.255.0.1', port: 30000 },
};

/** B's agent; NAKs it sends are collected. Gap NAKs are off: only the token ring asks. */
function memberB() {
  const sched = new Scheduler(
    () => {},
    () => 0,
  );
  const naks: { to: number; packet: NakPacket }[] = [];
  const ctx: EngineContext = {
    self: B,
    tun: { ...DEFAULTS, fastNakMs: 0 },
    counters: new Counters(),
    sched,
    sendTo: (buf, to) => {
      const d = decode(buf);
      if (d.ok && d.packet.type === PacketType.Nak) naks.push({ to: to.port, packet: d.packet });
    },
    lookup: (id) => [A, B, C].find((n) => n.id === id),
    queueRepair: () => {},
    isOwnRegion: () => false,
    loopback: () => {},
    ownMessage: () => undefined,
  };
  const agent = new RegionAgent(ctx, view, new Delivery(ctx.counters), () => true);
  return { agent, sched, naks };
}

/** The partition token as A forwards it: A has all of `upTo` from its own stream. */
function tokenFromA(round: number, upTo: number): TokenPacket {
  return {
    type: PacketType.Token,
    sender: A.id,
    region: view.region,
    viewId: view.viewId,
    round,
    level: TokenLevel.Partition,
    partition: 0,
    records: [
      {
        sender: A.id,
        inc: 1,
        maxSeen: upTo,
        prevContig: upTo,
        prevBits: new Uint8Array(0),
        prevBitCount: 0,
        allContig: upTo,
        lost: [],
        stable: 0,
        partContig: [],
        flags: 0,
      },
    ],
  };
}

describe('RegionAgent token visits', () => {
  it('pulls a tail known to exist for a round, but not while received datagrams wait unprocessed', async () => {
    const { agent, sched, naks } = memberB();
    for (let seq = 1; seq <= 100; seq++) {
      agent.onData(A.id, 1, { seq, gi: 0, groupSeq: seq, payload: new Uint8Array([seq]) }, false);
    }
    // Round 1: A has sent up to 200; B has 100, the rest may be in flight.
    agent.onToken(tokenFromA(1, 200));
    expect(naks).toEqual([]);
    // Round 2: 101..200 have existed for a round, but B has datagrams queued that may be them.
    sched.enqueue(Lane.Data, Buffer.alloc(16));
    expect(sched.inboundBacklog()).toBe(1);
    agent.onToken(tokenFromA(2, 200));
    expect(naks).toEqual([]);
    // Its queue processed (they were not), round 3 pulls the tail from its predecessor.
    await new Promise((r) => setImmediate(r));
    expect(sched.inboundBacklog()).toBe(0);
    agent.onToken(tokenFromA(3, 200));
    expect(naks.map((n) => ({ to: n.to, ranges: n.packet.ranges }))).toEqual([
      { to: A.port, ranges: [{ from: 101, to: 200 }] },
    ]);
    agent.close();
    sched.close();
  });
});
