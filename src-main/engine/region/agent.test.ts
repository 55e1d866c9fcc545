// The region agent alone, with a fake context: what a member asks for on a token visit.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineContext } from '../context';
import type { NodeInfo, RegionView } from '../membership';
import { DEFAULTS } from '../options';
import { Lane, Scheduler } from '../scheduler/scheduler';
import { Counters } from '../stats';
import {
  decode,
  FRAG_CONT,
  FRAG_MORE,
  PacketType,
  TokenLevel,
  type DataMsg,
  type NakPacket,
  type TokenPacket,
} from '../wire/packets';
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

/** B's agent; NAKs and tokens it sends are collected. Gap NAKs are off unless `fastNakMs`
 * is given: only the token ring asks. */
function memberB(fastNakMs = 0) {
  return agentOf(B, { fastNakMs });
}

/** `self`'s agent in `view`, with the tunables given; NAKs, tokens (with their destination)
 * and stall reports it makes are collected. */
function agentOf(self: NodeInfo, tun: Partial<EngineContext['tun']> = {}) {
  const sched = new Scheduler(
    () => {},
    () => 0,
  );
  const naks: { to: number; packet: NakPacket }[] = [];
  const tokens: TokenPacket[] = [];
  const tokensTo: number[] = [];
  const stalls: { member: string; reason: string }[] = [];
  const ctx: EngineContext = {
    self,
    tun: { ...DEFAULTS, fastNakMs: 0, ...tun },
    counters: new Counters(),
    sched,
    sendTo: (buf, to) => {
      const d = decode(buf);
      if (d.ok && d.packet.type === PacketType.Nak) naks.push({ to: to.port, packet: d.packet });
      if (d.ok && d.packet.type === PacketType.Token) {
        tokens.push(d.packet);
        tokensTo.push(to.port);
      }
    },
    lookup: (id) => [A, B, C].find((n) => n.id === id),
    queueRepair: () => {},
    isOwnRegion: () => false,
    loopback: () => {},
    ownMessage: () => undefined,
    reportStall: (member, _view, reason) => stalls.push({ member, reason }),
  };
  const delivery = new Delivery(ctx.counters);
  const delivered: number[][] = [];
  delivery.on((_group, _sender, data) => delivered.push([...data]));
  const agent = new RegionAgent(ctx, view, delivery, () => true);
  return { agent, sched, naks, tokens, tokensTo, stalls, delivered, counters: ctx.counters };
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
    part: 0,
    parts: 1,
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
      agent.data.onData(A.id, 1, { seq, gi: 0, groupSeq: seq, payload: new Uint8Array([seq]) }, false);
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

  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not pull what its gap NAKs already asked the sender for, and shows it to its successor as held', async () => {
    // Fake clocks: the token must come within the retry window of the gap NAK, and a loaded
    // machine can stretch an 8 ms real wait past it.
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
    });
    const { agent, sched, naks, tokens } = memberB(3);
    const data = (seq: number) => ({ seq, gi: 0, groupSeq: seq, payload: new Uint8Array([seq & 0xff]) });
    for (let seq = 1; seq <= 100; seq++) agent.data.onData(A.id, 1, data(seq), false);
    for (let seq = 151; seq <= 200; seq++) agent.data.onData(A.id, 1, data(seq), false);
    // The gap NAK (3 ms after the gap showed) asks the sender, A, for 101..150.
    await vi.advanceTimersByTimeAsync(8);
    expect(naks.map((n) => n.packet.ranges)).toContainEqual([{ from: 101, to: 150 }]);
    const before = naks.length;
    // A token visit: A (also B's predecessor) holds all of 1..200. Its answers may be on
    // their way, so B pulls nothing more...
    agent.onToken(tokenFromA(1, 200));
    expect(naks.slice(before)).toEqual([]);
    // ...and the record B passes on shows 101..150 as held, so C does not push them too.
    const rec = tokens.at(-1)!.records.find((r) => r.sender === A.id)!;
    expect(rec.prevContig).toBe(100);
    expect(rec.prevBitCount).toBe(100);
    const held = Array.from({ length: 100 }, (_, i) => (rec.prevBits[i >>> 3]! >>> (i & 7)) & 1);
    expect(held.every((b) => b === 1)).toBe(true);
    agent.close();
    sched.close();
  });
});

describe('RegionAgent: messages in fragments', () => {
  const FIRST = FRAG_MORE;
  const MIDDLE = FRAG_MORE | FRAG_CONT;
  const LAST = FRAG_CONT;
  /** Message part `seq` of A's stream; fragments of one message share a group seq. */
  const part = (seq: number, groupSeq: number, frag: number): DataMsg => ({
    seq,
    gi: 0,
    groupSeq,
    payload: new Uint8Array([seq, seq]),
    frag,
  });

  it('delivers a fragmented message whole, in order, once its last fragment is in the prefix', () => {
    const { agent, sched, delivered } = memberB();
    const arrive = (m: DataMsg): void => agent.data.onData(A.id, 1, m, false);
    arrive(part(1, 1, 0));
    arrive(part(2, 2, FIRST));
    arrive(part(4, 2, LAST));
    arrive(part(5, 3, 0));
    expect(delivered).toEqual([[1, 1]]);
    arrive(part(3, 2, MIDDLE));
    expect(delivered).toEqual([
      [1, 1],
      [2, 2, 3, 3, 4, 4],
      [5, 5],
    ]);
    agent.close();
    sched.close();
  });

  it('at the end of an orphan stream, drops a message with a fragment nobody had, and delivers the rest', () => {
    const { agent, sched, delivered, counters } = memberB();
    const arrive = (m: DataMsg): void => agent.data.onData(A.id, 1, m, false);
    arrive(part(1, 1, 0));
    arrive(part(2, 2, FIRST)); // 3 (its middle) never comes
    arrive(part(4, 2, LAST));
    arrive(part(5, 3, FIRST));
    arrive(part(6, 3, LAST));
    arrive(part(7, 4, 0));
    expect(delivered).toEqual([[1, 1]]);
    agent.data.deliverAllHeld(A.id, agent.streams.get(A.id)!);
    expect(delivered).toEqual([
      [1, 1],
      [5, 5, 6, 6],
      [7, 7],
    ]);
    expect(counters.orphanGaps).toBe(1);
    expect(counters.dropped['broken-fragments']).toBeGreaterThan(0);
    agent.close();
    sched.close();
  });
});

describe('RegionAgent: a member that does not pass tokens on', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const BOUND = 2000;

  /**
   * Region leader A's agent (ring A → B → C → A) for `ms` of fake time while C streams to the
   * region, so A always holds messages not yet stable. A partition token sent to a member
   * comes back (from C) if that member and every one after it pass tokens on (`passes`),
   * `delayMs` later. Returns the stall reports with their times.
   */
  async function ringOfA(passes: (member: NodeInfo) => boolean, ms: number, delayMs = 0) {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
    });
    const a = agentOf(A, { tokenIntervalMs: 100, tokenBusyIntervalMs: 100, stabilityTimeoutMs: BOUND });
    const start = performance.now();
    const reportedAt: number[] = [];
    let seq = 0;
    let handled = 0;
    for (let t = 0; t < ms; t += 50) {
      for (let i = 0; i < 5; i++, seq++) {
        a.agent.data.onData(
          C.id,
          1,
          { seq: seq + 1, gi: 0, groupSeq: seq + 1, payload: new Uint8Array([1]) },
          false,
        );
      }
      await vi.advanceTimersByTimeAsync(50);
      for (; handled < a.tokens.length; handled++) {
        const token = a.tokens[handled]!;
        const to = a.tokensTo[handled]!;
        if (token.level !== TokenLevel.Partition) continue;
        if (![B, C].filter((m) => m.port >= to).every(passes)) continue;
        const back: TokenPacket = { ...token, sender: C.id, records: [] };
        if (delayMs > 0) setTimeout(() => a.agent.onToken(back), delayMs);
        else a.agent.onToken(back);
      }
      while (reportedAt.length < a.stalls.length) reportedAt.push(performance.now() - start);
    }
    a.agent.close();
    a.sched.close();
    return { stalls: a.stalls, reportedAt };
  }

  it.each([
    ['B, in the middle of the ring', B],
    ['C, the last before the leader', C],
  ])('finds %s that never forwards a token, once the ring stayed open for the bound', async (_, silent) => {
    const { stalls, reportedAt } = await ringOfA((m) => m !== silent, 3 * BOUND);
    expect(stalls.length).toBeGreaterThan(0);
    expect(stalls.every((s) => s.member === silent.id)).toBe(true);
    expect(stalls[0]!.reason).toContain('partition token ring');
    // Not before the bound; then a few probe waits (250 ms each here) at most.
    expect(reportedAt[0]).toBeGreaterThanOrEqual(BOUND);
    expect(reportedAt[0]).toBeLessThan(BOUND + 1500);
  });

  it('reports nobody while the ring comes back, however late (a slow member that progresses)', async () => {
    const { stalls } = await ringOfA(() => true, 4 * BOUND, 700);
    expect(stalls).toEqual([]);
  });

  it('reports nobody when off (stabilityTimeoutMs 0)', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
    });
    const a = agentOf(A, { tokenIntervalMs: 100, stabilityTimeoutMs: 0 });
    for (let seq = 1; seq <= 10; seq++)
      a.agent.data.onData(C.id, 1, { seq, gi: 0, groupSeq: seq, payload: new Uint8Array([1]) }, false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(a.stalls).toEqual([]);
    a.agent.close();
    a.sched.close();
  });
});
