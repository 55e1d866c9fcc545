// The ring probe alone, on explicit times: when it starts, how it walks the ring, what it
// names and what it ignores.
import { describe, expect, it } from 'vitest';
import type { NodeInfo } from '../membership';
import { RingProbe } from './ring-probe';

const member = (n: number): NodeInfo => ({ id: `m${n}`, host: '127.0.0.1', port: 1000 + n });
const ring = [member(1), member(2), member(3)];
const options = { boundMs: 1000, waitMs: 100, attempts: 3 };

function probe() {
  const sent: { to: string; round: number }[] = [];
  const p = new RingProbe(ring, options, (to, round) => sent.push({ to: to.id, round }), 0);
  return { p, sent };
}

describe('RingProbe', () => {
  it('probes only once the ring stayed open for the bound while stability is held back', () => {
    const { p, sent } = probe();
    expect(p.tick(999, true)).toBeUndefined();
    expect(sent).toEqual([]);
    // Nothing held back: an open ring holds back nobody, and the bound starts over.
    expect(p.tick(1500, false)).toBeUndefined();
    expect(p.tick(2400, true)).toBeUndefined();
    expect(sent).toEqual([]);
    // A normal round coming back restarts the bound too.
    p.closed(2400);
    expect(p.tick(3399, true)).toBeUndefined();
    expect(sent).toEqual([]);
    p.tick(3400, true);
    expect(sent.map((s) => s.to)).toEqual(['m3']);
    expect(sent[0]!.round).toBeGreaterThanOrEqual(0xc000_0000);
  });

  it('walks from the last member back while probes come back, and names the first whose probes do not', () => {
    const { p, sent } = probe();
    p.tick(1000, true);
    expect(p.returned(sent[0]!.round, 1010)).toBe(true); // m3 → leader works
    expect(sent.map((s) => s.to)).toEqual(['m3', 'm2']);
    // m2's probes die: three tries, each given waitMs, then m2 is named (once).
    expect(p.tick(1100, true)).toBeUndefined();
    expect(p.tick(1111, true)).toBeUndefined();
    expect(p.tick(1211, true)).toBeUndefined();
    expect(sent.map((s) => s.to)).toEqual(['m3', 'm2', 'm2', 'm2']);
    expect(p.tick(1311, true)).toEqual(member(2));
    expect(p.active).toBe(false);
    // Probing starts over only after another bound.
    expect(p.tick(2000, true)).toBeUndefined();
    expect(sent).toHaveLength(4);
  });

  it('ignores tokens of other rounds (a late answer to an earlier try, a normal round) and stops once the whole ring answers', () => {
    const { p, sent } = probe();
    p.tick(1000, true);
    p.tick(1100, true); // m3's first try timed out; a second one goes
    expect(p.returned(sent[0]!.round, 1150)).toBe(false);
    expect(p.returned(7, 1150)).toBe(false);
    expect(p.returned(sent[1]!.round, 1160)).toBe(true);
    expect(p.returned(sent[2]!.round, 1170)).toBe(true); // m2
    expect(p.returned(sent[3]!.round, 1180)).toBe(true); // m1: the whole ring works now
    expect(sent.map((s) => s.to)).toEqual(['m3', 'm3', 'm2', 'm1']);
    expect(p.active).toBe(false);
    expect(p.tick(2179, true)).toBeUndefined();
    expect(sent).toHaveLength(4);
  });
});
