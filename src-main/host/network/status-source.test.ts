import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LanNetworkStatus } from '../../../src-shared/bridge/network';
import { ThrottledStatusSource } from './status-source';

const base: LanNetworkStatus = {
  interface: { name: 'lo', address: '127.0.0.1', mtu: 65536, loopback: true, chosenBy: 'route' },
  membership: { address: '127.0.0.1:7070', foundBy: 'option', servedHere: false, state: 'connected' },
  transport: 'multicast',
  regions: [],
  peers: [],
  problems: [],
};

const withPeers = (n: number): LanNetworkStatus => ({
  ...base,
  peers: Array.from({ length: n }, (_, i) => ({ id: `p${i}`, name: `P${i}`, address: `a${i}`, heard: true })),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sources: ThrottledStatusSource<LanNetworkStatus>[] = [];
afterEach(() => {
  for (const s of sources.splice(0)) s.close();
  vi.useRealTimers();
});

function source(compute: () => LanNetworkStatus, timing = { pollMs: 10_000, minIntervalMs: 100 }) {
  const signals: (() => void)[] = [];
  const s = new ThrottledStatusSource(compute, timing, [
    (changed) => {
      signals.push(changed);
      return () => signals.splice(signals.indexOf(changed), 1);
    },
  ]);
  sources.push(s);
  return { s, signal: () => signals.forEach((c) => c()), signals };
}

describe('ThrottledStatusSource', () => {
  it('tells listeners only of changes, at most once per interval, with the latest status', () => {
    // On fake time: "within the interval" must not depend on how busy the machine is.
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'],
    });
    let current = base;
    const { s, signal } = source(() => current);
    const seen: number[] = [];
    s.onChange((status) => seen.push(status.peers.length));
    signal();
    expect(seen).toEqual([]); // nothing changed since the listener subscribed
    current = withPeers(1);
    signal();
    expect(seen).toEqual([1]);
    // A burst inside the interval folds into one notification at its end, of the latest status.
    for (let n = 2; n <= 20; n++) {
      current = withPeers(n);
      signal();
    }
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(150);
    expect(seen).toEqual([1, 20]);
    // Back and forth within the interval, ending where it was: nothing to tell.
    current = withPeers(3);
    signal();
    current = withPeers(20);
    vi.advanceTimersByTime(150);
    expect(seen).toEqual([1, 20]);
    expect(s.status().peers).toHaveLength(20);
  });

  it('finds changes that raise no signal by looking every pollMs while someone listens', async () => {
    let current = base;
    let computed = 0;
    const { s } = source(
      () => {
        computed++;
        return current;
      },
      { pollMs: 20, minIntervalMs: 0 },
    );
    await sleep(60);
    expect(computed).toBe(0); // no listener: no polling
    const seen: LanNetworkStatus[] = [];
    const off = s.onChange((status) => seen.push(status));
    current = withPeers(2);
    await sleep(80);
    expect(seen.map((x) => x.peers.length)).toEqual([2]);
    off();
    const before = computed;
    await sleep(60);
    expect(computed).toBe(before);
  });

  it('keeps telling the other listeners when one throws, and stops and unsubscribes on close', () => {
    let current = base;
    const { s, signal, signals } = source(() => current, { pollMs: 10_000, minIntervalMs: 0 });
    const seen: string[] = [];
    s.onChange(() => {
      throw new Error('a broken session');
    });
    s.onChange((status) => seen.push(status.membership.state));
    current = { ...base, membership: { ...base.membership, state: 'lost' } };
    signal();
    expect(seen).toEqual(['lost']);
    s.close();
    expect(signals).toEqual([]);
    current = base;
    signal();
    expect(seen).toEqual(['lost']);
  });
});
