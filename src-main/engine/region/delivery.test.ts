import { describe, expect, it } from 'vitest';
import { Counters } from '../stats';
import { Delivery } from './delivery';

const bytes = (n: number): Uint8Array => Uint8Array.of(n);

describe('Delivery', () => {
  it('delivers each (sender, group) sequence number once, in order, to all and per-group handlers', () => {
    const counters = new Counters();
    const d = new Delivery(counters);
    const all: string[] = [];
    const inA: string[] = [];
    d.on((group, sender, data) => all.push(`${group}/${sender}/${data[0]}`));
    d.onGroup('a', (sender, data) => inA.push(`${sender}/${data[0]}`));
    const a = d.group('a');
    const b = d.group('b');
    d.deliver('s1', a, 1, bytes(1));
    d.deliver('s2', a, 1, bytes(2)); // another sender's stream in the same group
    d.deliver('s1', b, 1, bytes(3));
    d.deliver('s1', a, 1, bytes(9)); // already delivered
    d.deliver('s2', a, 2, bytes(4));
    expect(all).toEqual(['a/s1/1', 'a/s2/2', 'b/s1/3', 'a/s2/4']);
    expect(inA).toEqual(['s1/1', 's2/2', 's2/4']);
    expect(counters.duplicates).toBe(1);
    expect(counters.messagesDelivered).toBe(4);
  });

  it('several handlers of one group: each gets every message; one that unsubscribes while called does not make the next miss it', () => {
    const d = new Delivery(new Counters());
    const got: string[] = [];
    const offFirst = d.onGroup('g', (_s, data) => {
      got.push(`first ${data[0]}`);
      offFirst();
    });
    d.onGroup('g', (_s, data) => got.push(`second ${data[0]}`));
    const offThird = d.onGroup('g', (_s, data) => got.push(`third ${data[0]}`));
    const g = d.group('g');
    d.deliver('s', g, 1, bytes(1));
    offThird();
    d.deliver('s', g, 2, bytes(2));
    expect(got).toEqual(['first 1', 'second 1', 'third 1', 'second 2']);
  });

  it('handlers come and go in any order; unsubscribing twice changes nothing', () => {
    const d = new Delivery(new Counters());
    const got: string[] = [];
    const on = (name: string) => d.onGroup('g', (_s, data) => got.push(`${name} ${data[0]}`));
    const g = d.group('g');
    const offA = on('a');
    const offB = on('b');
    offA();
    offA();
    d.deliver('s', g, 1, bytes(1)); // b only
    const offC = on('c');
    offB();
    d.deliver('s', g, 2, bytes(2)); // c only
    offC();
    d.deliver('s', g, 3, bytes(3)); // nobody
    on('d');
    d.deliver('s', g, 4, bytes(4));
    expect(got).toEqual(['b 1', 'c 2', 'd 4']);
  });

  it('a throwing handler does not keep the message from the others', () => {
    const d = new Delivery(new Counters());
    const got: number[] = [];
    d.onGroup('g', () => {
      throw new Error('bad handler');
    });
    d.onGroup('g', (_s, data) => got.push(data[0]!));
    d.deliver('s', d.group('g'), 1, bytes(5));
    expect(got).toEqual([5]);
  });

  it('counts what handlers throw and passes it to onError with the group and sender, even when onError throws', () => {
    const counters = new Counters();
    const reported: unknown[] = [];
    const d = new Delivery(counters, (error, where) => {
      reported.push([error, where]);
      throw new Error('the hook fails too');
    });
    const bad = new Error('bad handler');
    const got: string[] = [];
    d.on((_g, _s, data) => {
      if (data[0] === 1) throw bad;
      got.push(`all ${data[0]}`);
    });
    d.onGroup('g', (_s, data) => {
      if (data[0] === 1) throw bad;
    });
    d.onGroup('g', (_s, data) => got.push(`g ${data[0]}`));
    const g = d.group('g');
    d.deliver('s', g, 1, bytes(1));
    d.deliver('s', g, 2, bytes(2));
    expect(got).toEqual(['g 1', 'all 2', 'g 2']);
    expect(counters.handlerErrors).toBe(2);
    expect(counters.messagesDelivered).toBe(2);
    expect(reported).toEqual([
      [bad, { handler: 'message', group: 'g', sender: 's' }],
      [bad, { handler: 'message', group: 'g', sender: 's' }],
    ]);
  });
});
