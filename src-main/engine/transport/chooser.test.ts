// The per-region transport choice, without sockets: what a receiver counts as silent, how a
// sender's route moves between multicast and unicast, and what the chooser sends and accepts.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MembershipState, NodeInfo, RegionView } from '../membership';
import { DEFAULTS } from '../options';
import { Scheduler } from '../scheduler/scheduler';
import { Counters } from '../stats';
import { decode, PacketType, type Packet } from '../wire/packets';
import { TransportChooser } from './chooser';
import { MulticastWatch } from './multicast-watch';
import { RegionRoute } from './routes';

const T = 1000;

describe('MulticastWatch (receiver)', () => {
  it('a sender whose probes arrive is never reported; one none of whose do is, after 3 intervals', () => {
    const w = new MulticastWatch();
    w.expect('r', ['a', 'b'], 0);
    expect(w.check(0, T)).toEqual([]); // the first check only starts the clock
    const reported: string[][] = [];
    for (let t = T; t <= 6 * T; t += T) {
      w.heard('a', 'r', t / T, t - 10);
      reported.push(w.check(t, T).map((x) => x.sender));
    }
    expect(reported).toEqual([[], [], ['b'], ['b'], ['b'], ['b']]);
  });

  it('judges silence from when it started expecting a sender, and keeps reporting until it recovers', () => {
    const w = new MulticastWatch();
    w.expect('r', ['a'], 0);
    w.check(0, T);
    expect(w.check(T, T)).toEqual([]);
    expect(w.check(2 * T, T)).toEqual([]);
    expect(w.check(3 * T, T)).toEqual([{ sender: 'a', heard: 0 }]);
    expect(w.silent()).toEqual(['a']);
    w.heard('a', 'r', 7, 3 * T + 100);
    expect(w.check(4 * T, T)).toEqual([{ sender: 'a', heard: 7 }]);
    w.heard('a', 'r', 7, 4 * T + 100); // a duplicate does not count
    w.heard('a', 'other-region', 8, 4 * T + 100); // nor another region's probe
    expect(w.check(5 * T, T)).toEqual([{ sender: 'a', heard: 7 }]);
    w.heard('a', 'r', 8, 5 * T + 100);
    expect(w.check(6 * T, T)).toEqual([]);
    expect(w.silent()).toEqual([]);
  });

  it('judges nobody after a pause of its own, and gives everyone 3 intervals again', () => {
    const w = new MulticastWatch();
    w.expect('r', ['a'], 0);
    w.check(0, T);
    w.check(T, T);
    // The node's loop stalled for 10 s: it did not read, so nothing was missing.
    expect(w.check(11 * T, T)).toEqual([]);
    expect(w.check(12 * T, T)).toEqual([]);
    expect(w.check(13 * T, T)).toEqual([]);
    expect(w.check(14 * T, T)).toEqual([{ sender: 'a', heard: 0 }]);
  });

  it('forgets senders that leave, and everything when its region changes', () => {
    const w = new MulticastWatch();
    w.expect('r', ['a', 'b'], 0);
    w.check(0, T);
    w.expect('r', ['a'], T);
    for (let t = T; t <= 3 * T; t += T) w.check(t, T);
    expect(w.silent()).toEqual(['a']);
    w.expect('r2', ['a'], 3 * T + 1);
    expect(w.region).toBe('r2');
    expect(w.silent()).toEqual([]);
    expect(w.check(4 * T, T)).toEqual([]);
  });
});

describe('RegionRoute (sender)', () => {
  it('goes unicast at the first report and back to multicast 3 intervals after the last one', () => {
    const r = new RegionRoute('r', false, T);
    expect(r.transport).toBe('multicast');
    r.unheard('m1', 0);
    expect(r.transport).toBe('unicast');
    r.unheard('m1', T);
    r.tick(3 * T);
    expect(r.transport).toBe('unicast');
    expect([...r.unheardBy.keys()]).toEqual(['m1']);
    r.tick(4 * T);
    expect(r.transport).toBe('multicast');
    expect([...r.unheardBy.keys()]).toEqual([]);
  });

  it('stays on unicast twice as long each time it flaps, and starts over after a minute on multicast', () => {
    const r = new RegionRoute('r', false, T);
    const holds: number[] = [];
    let t = 0;
    for (let i = 0; i < 8; i++) {
      r.unheard('m', t);
      const from = t;
      while (r.unicast) r.tick((t += T));
      holds.push((t - from) / T);
      t += 5 * T; // multicast works for 5 s, then fails again
    }
    expect(holds).toEqual([3, 6, 12, 24, 48, 96, 192, 192]);
    expect(r.switches).toBe(8);
    t += 60 * T;
    r.unheard('m', t);
    const from = t;
    while (r.unicast) r.tick((t += T));
    expect((t - from) / T).toBe(3);
  });

  it('forced (fanout) stays unicast', () => {
    const r = new RegionRoute('r', true, T);
    r.tick(100 * T);
    expect(r.transport).toBe('unicast');
  });
});

describe('TransportChooser', () => {
  const node = (n: number): NodeInfo => ({ id: `127.0.0.1:${n}/x`, host: '127.0.0.1', port: n });
  const [A, B, C, D] = [node(1), node(2), node(3), node(4)];
  const region = (id: string, members: NodeInfo[]): RegionView => ({
    region: id,
    viewId: 9,
    groups: ['g'],
    members,
    multicast: { address: '239.255.0.1', port: 20000 },
  });
  const mine = region('r-mine', [A, B, C]);
  const other = region('r-other', [D]);
  const alone = region('r-alone', [A]);
  const state: MembershipState = { epoch: 1, self: A, groups: [], regions: [mine, other, alone] };

  afterEach(() => vi.useRealTimers());

  function chooser(tun: Partial<typeof DEFAULTS> = {}) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'setImmediate'] });
    const sched = new Scheduler(
      () => {},
      () => 0,
    );
    const sent: { to: string; packet: Packet }[] = [];
    const out = (to: string) => (buf: Uint8Array) => {
      const d = decode(buf);
      if (d.ok) sent.push({ to, packet: d.packet });
    };
    const counters = new Counters();
    const c = new TransportChooser({
      self: A,
      tun: { ...DEFAULTS, ...tun },
      sched,
      counters,
      sendTo: (buf, to) => out(to.id)(buf),
      multicast: (buf, view) => out(view.region)(buf),
      lookup: (id) => [A, B, C, D].find((n) => n.id === id),
    });
    c.onState(state, mine, new Set([A.id, B.id, C.id]));
    return { c, sent, counters, sched };
  }

  it('probes every region it sends to that has another member, every interval', () => {
    const { c, sent } = chooser();
    vi.advanceTimersByTime(100 + T + T / 2);
    const probes = sent.filter((s) => s.packet.type === PacketType.Probe);
    expect(probes.map((p) => p.to)).toEqual(['r-mine', 'r-other', 'r-mine', 'r-other']);
    expect(probes.map((p) => p.packet.type === PacketType.Probe && p.packet.seq)).toEqual([1, 1, 2, 2]);
    c.close();
  });

  it('tells each silent sender of its region, by unicast, and moves its own route on reports from members only', () => {
    const { c, sent, counters } = chooser();
    // B's probes arrive, C's do not.
    vi.advanceTimersByTime(T / 2);
    for (let seq = 1; seq <= 4; seq++) {
      c.onProbe({ type: PacketType.Probe, sender: B.id, region: 'r-mine', viewId: 9, seq });
      vi.advanceTimersByTime(T);
    }
    // C is told after 3 silent intervals, and again every interval while it stays silent.
    const reports = sent.filter((s) => s.packet.type === PacketType.Unheard);
    expect(reports.map((r) => r.to)).toEqual([C.id, C.id]);
    expect(reports[0]!.packet).toMatchObject({ region: 'r-mine', origin: C.id, heard: 0 });
    expect(c.unheard()).toEqual([C.id]);

    c.onUnheard({ type: PacketType.Unheard, sender: D.id, region: 'r-mine', origin: A.id, heard: 0 });
    c.onUnheard({ type: PacketType.Unheard, sender: B.id, region: 'r-mine', origin: C.id, heard: 0 });
    expect(counters.dropped).toEqual({ 'unheard-non-member': 1, 'misrouted-unheard': 1 });
    expect(c.stats().find((r) => r.region === 'r-mine')?.transport).toBe('multicast');
    c.onUnheard({ type: PacketType.Unheard, sender: B.id, region: 'r-mine', origin: A.id, heard: 0 });
    expect(c.stats()).toEqual([
      { region: 'r-mine', transport: 'unicast', members: 3, unheardBy: [B.id] },
      { region: 'r-other', transport: 'multicast', members: 1, unheardBy: [] },
      { region: 'r-alone', transport: 'multicast', members: 1, unheardBy: [] },
    ]);
    // Back 3 intervals after the last report (judged at the next probe tick).
    vi.advanceTimersByTime(4 * T);
    expect(c.stats()[0]).toMatchObject({ transport: 'multicast', unheardBy: [] });
    c.close();
  });

  it('with fanout: no probes, every region unicast', () => {
    const { c, sent } = chooser({ fanout: true });
    vi.advanceTimersByTime(5 * T);
    expect(sent).toEqual([]);
    expect(c.stats().map((r) => r.transport)).toEqual(['unicast', 'unicast', 'unicast']);
    c.close();
  });
});
