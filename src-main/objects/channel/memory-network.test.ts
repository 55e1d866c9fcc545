import { describe, expect, it } from 'vitest';
import { MemoryNetwork, VirtualClock } from './memory-network';
import type { MemberId } from './group-channel';

const bytes = (n: number): Uint8Array => new Uint8Array([n]);

function record(net: MemoryNetwork, id: MemberId) {
  const channel = net.join(id);
  const got: [MemberId, number][] = [];
  const views: (readonly MemberId[])[] = [];
  channel.onMessage((from, data) => got.push([from, data[0] ?? -1]));
  channel.onView((view) => views.push(view));
  return { channel, got, views };
}

describe('VirtualClock', () => {
  it('fires timers in time order, ties in insertion order, and honours cancellation', async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 10);
    clock.setTimeout(() => fired.push('a'), 5);
    clock.setTimeout(() => fired.push('c'), 10);
    const d = clock.setTimeout(() => fired.push('d'), 7);
    clock.clearTimeout(d);
    await clock.advance(9);
    expect(fired).toEqual(['a']);
    await clock.advance(1);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(clock.now).toBe(10);
  });
});

describe('MemoryNetwork', () => {
  it('delivers views to all members, in order', async () => {
    const net = new MemoryNetwork();
    const a = record(net, 'a');
    const b = record(net, 'b');
    await net.clock.advance(50);
    expect(a.views).toEqual([['a'], ['a', 'b']]);
    expect(b.views).toEqual([['a', 'b']]);
    expect(a.channel.members).toEqual(['a', 'b']);
    await b.channel.close();
    await net.clock.advance(50);
    expect(a.views.at(-1)).toEqual(['a']);
  });

  it('keeps FIFO per (sender, receiver) but interleaves senders', async () => {
    const net = new MemoryNetwork({ seed: 42, maxDelayMs: 50 });
    const a = record(net, 'a');
    const b = record(net, 'b');
    const c = record(net, 'c');
    await net.clock.advance(200);
    for (let i = 0; i < 100; i++) {
      void a.channel.send(bytes(i));
      void b.channel.send(bytes(i));
    }
    await net.clock.advance(200);
    for (const receiver of [a, b, c]) {
      for (const sender of ['a', 'b']) {
        expect(receiver.got.filter(([from]) => from === sender).map(([, n]) => n)).toEqual(
          Array.from({ length: 100 }, (_, i) => i),
        );
      }
    }
    // Some receiver saw the senders in different relative orders (no cross-sender order).
    const orders = [a, b, c].map((r) => r.got.map(([from]) => from).join(''));
    expect(new Set(orders).size).toBeGreaterThan(1);
  });

  it("addresses the sender's installed view: a member it has not seen yet misses the message", async () => {
    const net = new MemoryNetwork({ viewDelay: (m) => (m === 'a' ? 100 : 1), minDelayMs: 1, maxDelayMs: 1 });
    const a = record(net, 'a');
    await net.clock.advance(200);
    const b = record(net, 'b');
    await net.clock.advance(10);
    void a.channel.send(bytes(1)); // 'a' still has view ['a']
    await net.clock.advance(200);
    void a.channel.send(bytes(2));
    await net.clock.advance(10);
    expect(a.got).toEqual([
      ['a', 1],
      ['a', 2],
    ]);
    expect(b.got).toEqual([['a', 2]]);
  });

  it('delivers a graceful leaver’s messages before the view without it; a crash drops them', async () => {
    const net = new MemoryNetwork({
      delay: (from) => (from === 'x' ? 100 : 1),
      minDelayMs: 1,
      maxDelayMs: 1,
    });
    const a = record(net, 'a');
    const x = record(net, 'x');
    const y = record(net, 'y');
    await net.clock.advance(10);
    void x.channel.send(bytes(1));
    void y.channel.send(bytes(2));
    await x.channel.close();
    net.crash('y');
    await net.clock.advance(5);
    // 'x' is still in a's view until its message arrived; 'y' is gone with its message.
    expect(a.got).toEqual([]);
    await net.clock.advance(200);
    expect(a.got).toEqual([['x', 1]]);
    expect(a.views.at(-1)).toEqual(['a']);
    expect(net.stats.dropped).toBeGreaterThan(0);
    await expect(x.channel.send(bytes(3))).rejects.toThrow(/left/);
  });

  it('delivers to self exactly once, even before the first view', async () => {
    const net = new MemoryNetwork();
    const a = record(net, 'a');
    void a.channel.send(bytes(5));
    await net.clock.advance(50);
    expect(a.got).toEqual([['a', 5]]);
  });
});
