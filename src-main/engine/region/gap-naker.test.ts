import { describe, expect, it } from 'vitest';
import type { SeqRange } from '../wire/packets';
import { GapNaker } from './gap-naker';
import { SeqSet } from './seqset';

/** A GapNaker over one stream, with a manual clock. */
function setup(attempts = 3, backlogged?: () => boolean) {
  const st = { set: new SeqSet() };
  let now = 0;
  const due: { at: number; fn: () => void }[] = [];
  const naks: { at: number; ranges: SeqRange[] }[] = [];
  const g = new GapNaker<typeof st>(
    { delayMs: 3, retryMs: 20, attempts, maxRanges: 8, maxSeqs: 100, backlogged },
    (ms, fn) => due.push({ at: now + ms, fn }),
    (sender, s, ranges) => {
      expect(sender).toBe('s');
      expect(s).toBe(st);
      naks.push({ at: now, ranges });
    },
    () => now,
  );
  const arrive = (...seqs: number[]): void => {
    for (const q of seqs) if (st.set.add(q)) g.onArrival('s', st);
  };
  const advance = (ms: number): void => {
    const end = now + ms;
    for (;;) {
      due.sort((a, b) => a.at - b.at);
      const next = due[0];
      if (!next || next.at > end) break;
      due.shift();
      now = next.at;
      next.fn();
    }
    now = end;
  };
  return { arrive, advance, naks, st, g };
}

describe('GapNaker (fast NAKs for gaps in a stream)', () => {
  it('sends nothing while the stream is contiguous', () => {
    const t = setup();
    t.arrive(1, 2, 3, 4);
    t.advance(1000);
    expect(t.naks).toEqual([]);
  });

  it('NAKs the missing ranges after the delay, and stops once they arrive', () => {
    const t = setup();
    t.arrive(1, 2, 5, 6, 9);
    t.advance(2);
    expect(t.naks).toEqual([]); // reordering allowance
    t.advance(1);
    expect(t.naks).toEqual([
      {
        at: 3,
        ranges: [
          { from: 3, to: 4 },
          { from: 7, to: 8 },
        ],
      },
    ]);
    t.arrive(3, 4, 7, 8);
    t.advance(1000);
    expect(t.naks).toHaveLength(1);
  });

  it('gives a persistent gap a few attempts, then leaves it to the token rings until the prefix moves', () => {
    const t = setup(3);
    t.arrive(1, 3);
    t.advance(1000);
    expect(t.naks.map((n) => n.at)).toEqual([3, 23, 43]);
    t.arrive(4, 5); // the same gap: no new NAKs
    t.advance(1000);
    expect(t.naks).toHaveLength(3);
    t.arrive(2, 7); // prefix moved to 5; a new gap at 6
    t.advance(1000);
    expect(t.naks.slice(3)).toEqual([
      { at: 2003, ranges: [{ from: 6, to: 6 }] },
      { at: 2023, ranges: [{ from: 6, to: 6 }] },
      { at: 2043, ranges: [{ from: 6, to: 6 }] },
    ]);
  });

  it('progress restarts the retry clock and the attempts; what was asked is not asked again meanwhile', () => {
    const t = setup(2);
    t.arrive(1, 4);
    t.advance(3);
    expect(t.naks).toHaveLength(1);
    t.arrive(2); // progress at 3, still missing 3: asked already, so nothing until 20 ms later
    t.advance(40);
    t.advance(100);
    expect(t.naks.map((n) => [n.at, n.ranges])).toEqual([
      [3, [{ from: 2, to: 3 }]],
      [26, [{ from: 3, to: 3 }]], // the first check after progress is at 6; retry 20 ms after it
      [46, [{ from: 3, to: 3 }]],
    ]);
  });

  it('streams a long gap in: asks for the next missing seqs as repairs fill the first ones', () => {
    const t = setup(3); // maxSeqs 100
    t.arrive(1, 1002); // 2..1001 missing
    t.advance(3);
    expect(t.naks).toEqual([{ at: 3, ranges: [{ from: 2, to: 101 }] }]);
    // Repairs arrive (onArrival is not called for repairs): the next 50 come within reach.
    for (let s = 2; s <= 51; s++) t.st.set.add(s);
    t.advance(3);
    expect(t.naks.slice(1)).toEqual([{ at: 6, ranges: [{ from: 102, to: 151 }] }]);
    // The rest streams in batch by batch; no seq is asked for twice while progress continues.
    for (let next = 52; next <= 1001; next += 50) {
      for (let s = next; s < next + 50 && s <= 1001; s++) t.st.set.add(s);
      t.advance(3);
    }
    t.advance(1000);
    const asked = t.naks.flatMap((n) =>
      n.ranges.flatMap((r) => Array.from({ length: r.to - r.from + 1 }, (_, k) => r.from + k)),
    );
    expect(new Set(asked).size).toBe(asked.length);
    expect(Math.min(...asked)).toBe(2);
    expect(Math.max(...asked)).toBe(1001);
    expect(asked).toHaveLength(1000);
    // All within ~20 checks of 3 ms, rather than 10 batches of NAK + retryMs.
    expect(t.naks[t.naks.length - 1]!.at).toBeLessThan(3 + 20 * 3);
  });

  it('while received datagrams wait to be processed, asks again only after 3 × retryMs', () => {
    let busy = true;
    const t = setup(3, () => busy);
    t.arrive(1, 3);
    t.advance(100);
    // The first NAK as usual; the next 60 ms later (at the first check after), not 20.
    expect(t.naks.map((n) => n.at)).toEqual([3, 65]);
    busy = false; // at 103, 38 ms after the last NAK: the check then asks again
    t.advance(100);
    expect(t.naks.map((n) => n.at)).toEqual([3, 65, 103]);
  });

  it('what a token-ring pull asked for is not asked for again while the gap fills; a stall asks for everything', () => {
    const t = setup(3); // maxSeqs 100, retryMs 20
    expect(t.g.askedUpTo(t.st)).toBe(0); // no episode
    t.arrive(1, 1002); // 2..1001 missing
    t.advance(3);
    expect(t.naks).toEqual([{ at: 3, ranges: [{ from: 2, to: 101 }] }]);
    expect(t.g.askedUpTo(t.st)).toBe(101);
    t.g.noteAsked(t.st, 301); // the token ring pulled 102..301 from a peer
    expect(t.g.askedUpTo(t.st)).toBe(301);
    for (let s = 2; s <= 101; s++) t.st.set.add(s); // the NAK's answers
    t.advance(3);
    expect(t.naks).toHaveLength(1); // 102..201, now within reach, were pulled
    for (let s = 102; s <= 301; s++) t.st.set.add(s); // the pull's answers
    t.advance(3);
    expect(t.naks.slice(1)).toEqual([{ at: 9, ranges: [{ from: 302, to: 401 }] }]);
    // Nothing more arrives: 20 ms after the last progress (at 9), everything missing again.
    t.advance(20);
    expect(t.naks.slice(2)).toEqual([{ at: 29, ranges: [{ from: 302, to: 401 }] }]);
    // Asking again is no sign that answers are coming: 20 ms after 302..401 were first asked
    // for (at 9), the token ring may ask elsewhere.
    expect(t.g.askedUpTo(t.st)).toBe(0);
  });
});
