import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { freeTcpPort } from '../../testing/ports';
import { waitFor } from '../../testing/wait';
import { createHost, UnsavedStateError } from './host';
import type { Host } from './host';
import { writeLiveObject } from '../../src-shared/format';
import { freshGroupName, portableReference } from './mint';
import { FAST, Recorder, lanStatus, stateKeyOf, tempHome, useHosts } from './test-helpers';

const { host, closeHost } = useHosts();

describe('host: shared note', () => {
  it('two hosts open the same note, converge on concurrent edits; a late joiner gets the state', async () => {
    const port = await freeTcpPort();
    const a = await host(port, 'alice');
    const b = await host(port, 'bob');
    expect(a.hostsGms).toBe(true);
    expect(b.hostsGms).toBe(false);
    const ra = new Recorder(a.openSession('web'));
    const rb = new Recorder(b.openSession('web'));
    const na = await ra.session.call('create', { template: 'note', title: 'Plan' });
    expect(na.kind).toBe('note');
    expect(na.reference).toContain('<external name="QuickSilver"');
    // Minted private: the group's channel is sealed under a key written into the reference.
    expect(na.private).toBe(true);
    expect(na.reference).toContain('<primitive id="liveobjects.sealed"/>');
    expect(na.reference).toMatch(/<param name="key">\s*<value type="bytes">[A-Za-z0-9+/]{43}=<\/value>/);
    await ra.type(na.handle, 0, 'hello');
    const nb = await rb.session.call('open', { xml: na.reference });
    await waitFor('b to get the text', () => rb.text(nb.handle) === 'hello');
    await Promise.all([ra.type(na.handle, 5, ' from alice'), rb.type(nb.handle, 0, 'bob says: ')]);
    await waitFor(
      'convergence',
      () => ra.text(na.handle) === rb.text(nb.handle) && ra.text(na.handle).length === 26,
    );
    expect(ra.text(na.handle)).toBe('bob says: hello from alice');
    await waitFor('presence', () => (ra.last('presence', na.handle)?.members.length ?? 0) === 2);
    expect(
      ra
        .last('presence', na.handle)
        ?.members.map((m) => m.name)
        .sort(),
    ).toEqual(['alice', 'bob']);
    // A third host joining late gets everything from a checkpoint.
    const c = await host(port, 'carol');
    const rc = new Recorder(c.openSession('web'));
    const nc = await rc.session.call('open', { xml: na.reference });
    await waitFor('late joiner', () => rc.text(nc.handle) === 'bob says: hello from alice');
    expect(nc.private).toBe(true);
    expect(ra.errors()).toEqual([]);
  });
});

describe('host: network status', () => {
  it('answers the network command and tells every session of changes: peers heard, then gone', async () => {
    const port = await freeTcpPort();
    const a = await host(port, 'alice');
    const ra = new Recorder(a.openSession('web'));
    const first = await ra.session.call('network', {});
    expect(first).toMatchObject({
      interface: { name: 'lo', address: '127.0.0.1', loopback: true, chosenBy: 'route' },
      membership: { address: `127.0.0.1:${port}`, foundBy: 'option', servedHere: true, state: 'connected' },
      peers: [],
      problems: [],
    });
    const b = await host(port, 'bob');
    const rb = new Recorder(b.openSession('web'));
    await waitFor('alice to hear bob', () => {
      const peers = ra.last('network')?.peers ?? [];
      return peers.length === 1 && peers[0]?.name === 'bob' && peers[0].heard;
    });
    const seenByBob = lanStatus(await rb.session.call('network', {}));
    expect(seenByBob.membership).toMatchObject({ foundBy: 'option', servedHere: false });
    expect(seenByBob.peers).toEqual([expect.objectContaining({ id: a.nodeId, name: 'alice', heard: true })]);
    expect(seenByBob.peers[0]?.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(seenByBob.transport).toBe('multicast');
    expect(seenByBob.regions.length).toBeGreaterThan(0);
    await closeHost(b);
    await waitFor('alice to see bob gone', () => ra.last('network')?.peers.length === 0);
    expect(ra.errors()).toEqual([]);
  });
});

describe('host: network status when multicast does not arrive', () => {
  it('a region switched to unicast fan-out shows as such, with multicast blocked named', async () => {
    const port = await freeTcpPort();
    const start = (userName: string, multicastLoss: number): Promise<Host> =>
      createHost({
        shell: 'web',
        home: tempHome(),
        gms: { host: '127.0.0.1', port },
        userName,
        ...FAST,
        engine: { ...FAST.engine, probeIntervalMs: 200, faults: { multicastLoss } },
      });
    const a = await start('alice', 0);
    // Bob's network drops every multicast datagram that arrives: Alice must send to him by unicast.
    const b = await start('bob', 1);
    try {
      const ra = new Recorder(a.openSession('web'));
      await waitFor(
        'alice to send to bob by unicast fan-out',
        () => ra.last('network')?.problems.some((p) => p.kind === 'multicast-blocked') ?? false,
        { timeout: 20_000 },
      );
      const status = lanStatus(await ra.session.call('network', {}));
      expect(status.regions.some((r) => r.transport === 'unicast')).toBe(true);
      expect(['unicast', 'mixed']).toContain(status.transport);
      expect(status.peers).toEqual([expect.objectContaining({ name: 'bob', heard: true })]);
      expect(status.problems.find((p) => p.kind === 'multicast-blocked')?.message).toMatch(
        /^IP multicast does not get through \(this host’s multicast does not reach bob\)/,
      );
      // Bob's side: multicast does not arrive there, so his region's traffic comes by unicast.
      const rb = new Recorder(b.openSession('web'));
      let bobs = lanStatus(await rb.session.call('network', {}));
      await waitFor(
        'bob to see that alice sends to him by unicast',
        async () => {
          bobs = lanStatus(await rb.session.call('network', {}));
          return bobs.problems.some((p) => p.kind === 'multicast-blocked');
        },
        { timeout: 20_000 },
      );
      expect(bobs.transport).toBe('unicast');
      expect(bobs.problems.find((p) => p.kind === 'multicast-blocked')?.message).toMatch(
        /\(multicast from alice does not arrive here\)/,
      );
    } finally {
      await b.close();
      await a.close();
    }
  });
});

// The example file users meet: an airplane, which needs a 3D space.
const AIRPLANE = readFileSync(new URL('../../assets/objects/airplane.liveobject', import.meta.url), 'utf8');

describe('host: desktop', () => {
  it('place and move from two hosts converge; checkDrop accepts a note and refuses an airplane', async () => {
    const port = await freeTcpPort();
    const homeA = tempHome();
    const a = await host(port, 'alice', homeA);
    const b = await host(port, 'bob');
    const ra = new Recorder(a.openSession('web'));
    const rb = new Recorder(b.openSession('web'));
    const da = await ra.session.call('create', { template: 'desktop' });
    const db = await rb.session.call('open', { xml: da.reference });
    const note = await ra.session.call('create', { template: 'note', title: 'On the desktop' });
    expect(await ra.session.call('checkDrop', { handle: da.handle, xml: note.reference })).toEqual({
      ok: true,
    });
    expect(await ra.session.call('checkDrop', { handle: da.handle, xml: AIRPLANE })).toEqual({
      ok: false,
      reason: 'Airplanes fly in 3D spaces — drop it into one',
      why: 'liveobjects.airplane has only a 3D user interface (UI3D): place it in a 3D space',
    });
    const bad = await ra.session.call('checkDrop', { handle: da.handle, xml: '<liveobject' });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.reason).toMatch(/not a valid \.liveobject: .*1:/);
    expect((await ra.session.call('checkDrop', { handle: note.handle, xml: note.reference })).ok).toBe(false);
    // A new object is checked before it is minted: a refused template opens and stores nothing.
    expect(await ra.session.call('checkTemplateDrop', { handle: da.handle, template: 'airplane' })).toEqual({
      ok: false,
      reason: 'Airplanes fly in 3D spaces — drop it into one',
      why: 'liveobjects.airplane has only a 3D user interface (UI3D): place it in a 3D space',
    });
    expect(await ra.session.call('checkTemplateDrop', { handle: da.handle, template: 'image' })).toEqual({
      ok: true,
    });
    const stateDir = join(homeA, 'state');
    const stored = (): string[] => (existsSync(stateDir) ? readdirSync(stateDir) : []);
    expect(stored().filter((name) => name.startsWith('airplane-'))).toEqual([]);

    const stateOf = (r: Recorder, h: string) => r.state(h, 'desktop');
    await ra.session.call('act', {
      handle: da.handle,
      intent: { kind: 'desktop.place', reference: note.reference, x: 10, y: 20 },
    });
    await waitFor('b to see the item', () => stateOf(rb, db.handle)?.items.length === 1);
    const item = stateOf(rb, db.handle)!.items[0]!;
    expect(item).toMatchObject({
      x: 10,
      y: 20,
      kind: 'note',
      title: 'On the desktop',
      width: 320,
      height: 240,
    });
    // Concurrent moves of the same item: last writer (Lamport stamp, then node id) wins everywhere.
    await Promise.all([
      ra.session.call('act', {
        handle: da.handle,
        intent: { kind: 'desktop.move', id: item.id, x: 100, y: 100 },
      }),
      rb.session.call('act', {
        handle: db.handle,
        intent: { kind: 'desktop.move', id: item.id, x: 200, y: 200 },
      }),
    ]);
    await rb.session.call('act', {
      handle: db.handle,
      intent: { kind: 'desktop.place', reference: note.reference, x: 5, y: 5 },
    });
    const same = (): boolean =>
      JSON.stringify(stateOf(ra, da.handle)) === JSON.stringify(stateOf(rb, db.handle)) &&
      stateOf(ra, da.handle)?.items.length === 2;
    await waitFor('desktops to converge', same);
    // Placing an airplane is refused by the desktop itself, with the same explanation.
    await ra.session.call('act', {
      handle: da.handle,
      intent: { kind: 'desktop.place', reference: AIRPLANE, x: 0, y: 0 },
    });
    await waitFor('refusal', () => ra.errors().some((m) => m.includes('only a 3D user interface')), {
      timeout: 5_000,
    });
  });
});

describe('host: private and key-less objects', () => {
  const keyless = (group: string, template = 'liveobjects.note'): string =>
    writeLiveObject({ meta: {}, types: [], reference: portableReference(template, group) });

  it('a key-less reference (as older versions minted) still opens and is shared, marked not private', async () => {
    const port = await freeTcpPort();
    const ra = new Recorder((await host(port, 'alice')).openSession('web'));
    const rb = new Recorder((await host(port, 'bob')).openSession('web'));
    const xml = keyless(freshGroupName('note'));
    const na = await ra.session.call('open', { xml });
    expect(na.private).toBe(false);
    await ra.type(na.handle, 0, 'open to all');
    const nb = await rb.session.call('open', { xml });
    expect(nb.private).toBe(false);
    await waitFor('bob has the text', () => rb.text(nb.handle) === 'open to all');
  });

  it('a desktop that is not private refuses private objects (their keys), and takes key-less ones', async () => {
    const port = await freeTcpPort();
    const ra = new Recorder((await host(port, 'alice')).openSession('web'));
    const desk = await ra.session.call('open', {
      xml: keyless(freshGroupName('desktop'), 'liveobjects.desktop'),
    });
    expect(desk.private).toBe(false);
    const privateNote = await ra.session.call('create', { template: 'note', title: 'Secret' });
    const refusal = ra.session.call('checkDrop', { handle: desk.handle, xml: privateNote.reference });
    await expect(refusal).resolves.toMatchObject({ ok: false });
    const { reason } = (await refusal) as { reason: string };
    expect(reason).toContain('is not private: placing a private object in it would give that object');
    await ra.session.call('act', {
      handle: desk.handle,
      intent: { kind: 'desktop.place', reference: privateNote.reference, x: 0, y: 0 },
    });
    await waitFor('the refusal', () => ra.errors().some((m) => m.includes('this desktop is not private')));
    const plainNote = keyless(freshGroupName('note'));
    expect(await ra.session.call('checkDrop', { handle: desk.handle, xml: plainNote })).toEqual({ ok: true });
    await ra.session.call('act', {
      handle: desk.handle,
      intent: { kind: 'desktop.place', reference: plainNote, x: 0, y: 0 },
    });
    await waitFor('the key-less note placed', () => ra.state(desk.handle, 'desktop')?.items.length === 1);
    expect(ra.state(desk.handle, 'desktop')?.items[0]?.reference).not.toContain('liveobjects.sealed');
  });

  it("a key-less reference to a private note's group gets none of its saved state", async () => {
    const port = await freeTcpPort();
    const home = tempHome();
    const a = await host(port, 'alice', home);
    const ra = new Recorder(a.openSession('web'));
    const n = await ra.session.call('create', { template: 'note' });
    await ra.type(n.handle, 0, 'private words');
    await ra.session.call('close', { handle: n.handle });
    await closeHost(a);

    const r2 = new Recorder((await host(port, 'alice', home)).openSession('web'));
    const group = /<external name="(note-[0-9a-f]+)"/.exec(n.reference)?.[1] ?? '';
    const plain = await r2.session.call('open', { xml: keyless(group) });
    await r2.type(plain.handle, 0, 'x');
    await waitFor('the key-less note shows its own text', () => r2.text(plain.handle) === 'x');
    await new Promise((r) => setTimeout(r, 300));
    expect(r2.text(plain.handle)).toBe('x');
  });
});

describe('host: persistence and errors', () => {
  it('closing everything and reopening brings the state back', async () => {
    const port = await freeTcpPort();
    const home = tempHome();
    const a = await host(port, 'alice', home);
    const ra = new Recorder(a.openSession('web'));
    const n = await ra.session.call('create', { template: 'note' });
    await ra.type(n.handle, 0, 'remember me');
    await waitFor('local echo-free text', () => ra.text(n.handle) === 'remember me', { timeout: 5_000 });
    await ra.session.call('close', { handle: n.handle });
    await closeHost(a);

    const a2 = await host(port, 'alice', home);
    const r2 = new Recorder(a2.openSession('web'));
    const n2 = await r2.session.call('open', { xml: n.reference });
    await waitFor('restored text', () => r2.text(n2.handle) === 'remember me', { timeout: 5_000 });
  });

  it('a malformed file or reference is a clear error and disturbs nothing else', async () => {
    const port = await freeTcpPort();
    const a = await host(port, 'alice');
    const ra = new Recorder(a.openSession('web'));
    const n = await ra.session.call('create', { template: 'note' });
    await expect(
      ra.session.call('open', {
        xml: '<liveobject xmlns="urn:liveobjects:1" version="1"><oops/></liveobject>',
        source: 'bad.liveobject',
      }),
    ).rejects.toThrow(/bad\.liveobject.*1:\d+/);
    // Objects with a 3D UI open (a 3D space's view shows them); objects without any UI do not.
    const platform = `<liveobject xmlns="urn:liveobjects:1" version="1"><parameterized>
      <template><primitive id="qsm.platform"/></template>
      <param name="gms"><value type="address">127.0.0.1:1</value></param>
    </parameterized></liveobject>`;
    await expect(ra.session.call('open', { xml: platform })).rejects.toThrow(/has no user interface/);
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(a.home, 'broken.liveobject');
    writeFileSync(file, '<liveobject version="1">');
    await expect(a.openFile(file)).rejects.toThrow(/broken\.liveobject/);
    await expect(a.openFile(join(a.home, 'missing.liveobject'))).rejects.toThrow(/no such file/);
    const good = join(a.home, 'good.liveobject');
    writeFileSync(good, n.reference);
    await a.openFile(good);
    const opened = ra.last('opened');
    expect(opened?.kind).toBe('note');
    await ra.type(n.handle, 0, 'still fine');
    await waitFor('second view of the same note', () => ra.text(opened!.handle) === 'still fine', {
      timeout: 5_000,
    });
  });

  it('a disk error is reported and the object keeps running', async () => {
    const port = await freeTcpPort();
    const a = await host(port, 'alice');
    const ra = new Recorder(a.openSession('web'));
    const n = await ra.session.call('create', { template: 'note' });
    // Make the object's state directory impossible to create: a file sits where it goes.
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const group = n.title.replace(/^Note /, '');
    writeFileSync(join(a.store.dir, stateKeyOf('liveobjects.note', a.gms, group, n.reference)), 'in the way');
    await ra.type(n.handle, 0, 'x');
    await waitFor('disk error', () => ra.errors().some((m) => m.includes('could not save')), {
      timeout: 5_000,
    });
    expect(ra.last('error')?.handle).toBe(n.handle);
    await ra.type(n.handle, 1, 'y');
    await waitFor('object still running', () => ra.text(n.handle) === 'xy', { timeout: 5_000 });
    // Its state could never be written: closing the host says so.
    await expect(closeHost(a)).rejects.toBeInstanceOf(UnsavedStateError);
  });
});

describe('host: its own instances', () => {
  it("a host's close waits for its own objects' final saves, not for another host's", async () => {
    const port = await freeTcpPort();
    const [a, b] = [await host(port, 'alice'), await host(port, 'bob')];
    const alice = a.openSession('web');
    const note = await alice.call('create', { template: 'note' });
    await b.openSession('web').call('open', { xml: note.reference });
    let release = (): void => undefined;
    const held = new Promise<void>((r) => (release = r));
    const save = a.store.save.bind(a.store);
    const saves = vi.spyOn(a.store, 'save').mockImplementation(async (...args) => {
      await held;
      return save(...args);
    });
    // Alice's note ends with her window: its final save waits until released.
    await alice.close();
    await waitFor("alice's final save", () => saves.mock.calls.length > 0, { timeout: 5_000 });
    let bClosed = false;
    void closeHost(b).then(() => (bClosed = true));
    await waitFor("bob's host to close while alice's final save is held", () => bClosed, { timeout: 5_000 });
    let aClosed = false;
    const closing = closeHost(a).then(() => (aClosed = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(aClosed).toBe(false);
    release();
    await closing;
  });
});
