// The membership controller with several hosts in this process, each on its own loopback
// address, meeting on a private mDNS port: discovery, serving, the merge of two services and
// the takeover when the serving host quits. Nothing leaves this machine.
import { describe, expect, it } from 'vitest';
import { probeGms } from '../../engine/gms';
import type { Host } from '../host';
import { lateJoinerGets, onOneService, shareNote, lanNetwork, status, useLan } from './testing/lan';
import type { NoteView } from './testing/lan';
import { waitFor } from '../../../testing/wait';

const lan = useLan();
const onOne = onOneService;

describe('membership on a LAN (loopback addresses, private mDNS port)', () => {
  it('the first host serves the service on its address; the next finds it by DNS-SD', async () => {
    const net = await lan();
    const a = await net.start(0, 'alice');
    expect(lanNetwork(a).interface).toMatchObject({
      name: 'lo',
      address: net.addresses[0],
      chosenBy: 'option',
    });
    expect(status(a)).toEqual({
      address: `${net.addresses[0]}:7070`,
      foundBy: 'serving',
      servedHere: true,
      state: 'connected',
    });
    expect(a.nodeId.startsWith(`${net.addresses[0]}:`)).toBe(true);
    const b = await net.start(1, 'bob');
    expect(status(b)).toMatchObject({
      address: `${net.addresses[0]}:7070`,
      foundBy: 'dns-sd',
      servedHere: false,
    });
    await waitFor('b connected', () => status(b).state === 'connected');
    await shareNote('hello', a, b);
  }, 30_000);

  it('two hosts started at once end on one service: the preferred one; the other stops serving', async () => {
    const net = await lan();
    const [a, b] = await Promise.all([net.start(1, 'alice'), net.start(0, 'bob')]);
    // Both found nobody and served; the lower address wins, the other moves over.
    await waitFor('one service', () => onOne(a, b), { timeout: 15_000 });
    expect(status(a).address).toBe(`${net.addresses[0]}:7070`);
    expect([status(a).servedHere, status(b).servedHere]).toEqual([false, true]);
    expect(status(a).foundBy).toBe('merged');
    await waitFor(
      'the loser to stop serving',
      async () => (await probeGms(net.addresses[1]!, 7070)).kind === 'absent',
      { timeout: 10_000 },
    );
    await shareNote('one service', a, b);
  }, 40_000);

  it('the serving host quits: the others agree on the successor, keep editing, and a later host finds it', async () => {
    const net = await lan();
    const a = await net.start(0, 'alice');
    const b = await net.start(1, 'bob');
    const c = await net.start(2, 'carol');
    await waitFor('all on alice’s service', () => onOne(a, b, c));
    await waitFor('the hosts view', () => [a, b, c].every((h) => lanNetwork(h).hosts().length === 3));
    const note = await shareNote('before;', a, b, c);
    const [, { recorder: rb, handle: nb }, { recorder: rc, handle: nc }] = note.views as [
      NoteView,
      NoteView,
      NoteView,
    ];

    const successor = [b, c].sort((x, y) => (x.nodeId < y.nodeId ? -1 : 1))[0]!;
    const quitAt = Date.now();
    await net.close(a);
    const closedAt = Date.now();
    await waitFor('both on the successor', () => onOne(b, c) && status(successor).servedHere, {
      timeout: 15_000,
    });
    const gap = Date.now() - closedAt;
    console.log(
      `takeover after a clean quit: connected ${gap} ms after alice's host closed (close took ${closedAt - quitAt} ms)`,
    );
    expect(status(successor)).toMatchObject({ foundBy: 'took-over', servedHere: true });
    expect(status(successor).address).toBe(`${hostAddress(successor)}:7070`);
    for (const h of [b, c]) expect(status(h).foundBy).toBe('took-over');
    expect(gap).toBeLessThan(6_000);

    await rb.type(nb, 7, ' after');
    await waitFor('carol sees bob’s edit', () => rc.text(nc) === 'before; after');
    // Objects opened after the move reach the same engine node.
    await shareNote('a new note', c, b);
    const dave = await lateJoinerGets(net, successor, note.reference, 'before; after');
    expect([...rb.errors(), ...rc.errors(), ...dave.recorder.errors()]).toEqual([]);
  }, 60_000);

  it('a successor that does not take over is passed over, and the next one serves', async () => {
    const net = await lan();
    const a = await net.start(0, 'alice');
    // Erin has the lowest id of the others but was given alice's service: she never serves.
    const e = await net.start(1, 'erin', { host: net.addresses[0]!, port: 7070 });
    const b = await net.start(2, 'bob');
    const c = await net.start(3, 'carol');
    expect(status(e)).toMatchObject({ foundBy: 'option', servedHere: false });
    await waitFor('the hosts view', () => [b, c, e].every((h) => lanNetwork(h).hosts().length === 4));
    expect([e, b, c].map((h) => h.nodeId).sort()[0]).toBe(e.nodeId);
    await net.close(a);
    const closedAt = Date.now();
    await waitFor('bob and carol on bob’s service', () => onOne(b, c) && status(b).servedHere, {
      timeout: 20_000,
    });
    const gap = Date.now() - closedAt;
    console.log(`takeover with a silent first successor: connected after ${gap} ms`);
    expect(status(b).address).toBe(`${net.addresses[2]}:7070`);
    // The wait for the first successor (3 s) plus one takeover.
    expect(gap).toBeGreaterThanOrEqual(3_000);
    expect(gap).toBeLessThan(9_000);
    expect(status(e).address).toBe(`${net.addresses[0]}:7070`);
    expect(status(e).state).not.toBe('connected');
  }, 60_000);
});

function hostAddress(h: Host): string {
  return h.nodeId.slice(0, h.nodeId.indexOf(':'));
}
