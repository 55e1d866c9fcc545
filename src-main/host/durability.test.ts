// Nothing acknowledged is lost: a host on a real, tiny file system (tmpfs) that fills up keeps
// every edit it accepted, warns while it cannot write, and writes them all once space returns,
// even when the session that made them closed in between.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freeTcpPort } from '../../testing/ports';
import { mountSmallDisk, whyNoSmallDisk } from '../../testing/small-disk';
import type { SmallDisk } from '../../testing/small-disk';
import { waitFor } from '../../testing/wait';
import { createHost, UnsavedStateError } from './host';
import type { Host } from './host';
import { FAST, Recorder, tempHome } from './test-helpers';

const EDITS = 50;

let noTmpfs: string | undefined;
beforeAll(() => {
  noTmpfs = whyNoSmallDisk();
  // The store's behaviour on failing writes is also covered without a mount (persistence.test.ts).
  if (noTmpfs) console.warn(`durability.test.ts: skipping the full-disk tests: ${noTmpfs}`);
});

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A 256 KiB tmpfs with an empty home on it, unmounted after the test. */
function homeOnSmallDisk(): { home: string; disk: SmallDisk } {
  const disk = mountSmallDisk(256);
  cleanup.push(() => disk.unmount());
  const home = join(disk.dir, 'home');
  mkdirSync(home);
  return { home, disk };
}

/** A host on `home`; closed after the test (close() is idempotent: a test may close it first). */
async function hostOn(home: string, port: number, log?: (line: string) => void): Promise<Host> {
  const h = await createHost({
    shell: 'web',
    home,
    gms: { host: '127.0.0.1', port },
    userName: 'alice',
    ...FAST,
    saveRetry: { firstMs: 100, maxMs: 400 },
    ...(log && { log }),
  });
  cleanup.push(() => h.close().catch(() => undefined));
  return h;
}

describe('durability: a full disk', () => {
  it('keeps 50 acknowledged note edits through a full disk and a closed session, warns, and writes them when space returns', async (ctx) => {
    if (noTmpfs) ctx.skip();
    const { home, disk } = homeOnSmallDisk();
    const port = await freeTcpPort();
    const logged: string[] = [];
    const a = await hostOn(home, port, (line) => logged.push(line));
    const ra = new Recorder(a.openSession('web'));
    const note = await ra.session.call('create', { template: 'note', title: 'Minutes' });
    await ra.type(note.handle, 0, 'Minutes:');
    await waitFor('the first save', () => a.store.status().unsaved === 0 && ra.errors().length === 0);
    expect(await ra.session.call('storage', {})).toEqual({ state: 'ok', unsaved: 0 });

    const freeSpace = disk.fill();
    let expected = 'Minutes:';
    for (let i = 0; i < EDITS; i++) {
      const word = ` e${i}`;
      // Resolved: the host accepted the edit (the user saw it in the note).
      await ra.type(note.handle, expected.length, word);
      expected += word;
    }
    expect(ra.text(note.handle)).toBe(expected);
    await waitFor('the storage warning', () => ra.last('storage')?.state === 'failing', { timeout: 5_000 });
    const warning = ra.last('storage');
    expect(warning).toMatchObject({ state: 'failing', unsaved: 1 });
    expect(warning?.state === 'failing' && warning.message).toMatch(
      /^the disk is full \(writing to .*state\)$/,
    );
    expect(await ra.session.call('storage', {})).toMatchObject({ state: 'failing', unsaved: 1 });
    // The object says it once, not once per edit.
    expect(ra.errors().filter((m) => m.includes('could not save')).length).toBe(1);
    expect(
      logged.some((l) => l.startsWith('host: WARNING: Changes cannot be saved to disk: the disk is full')),
    ).toBe(true);

    // The session closes (the window, the object with it) while the disk is still full.
    const watcher = new Recorder(a.openSession('web'));
    await ra.session.close();
    await new Promise((r) => setTimeout(r, 500));
    expect(a.store.status()).toMatchObject({ state: 'failing', unsaved: 1 });

    freeSpace();
    await waitFor('the retries to write the held state', () => watcher.last('storage')?.state === 'ok', {
      timeout: 10_000,
    });
    expect(watcher.last('storage')).toEqual({ state: 'ok', unsaved: 0 });
    expect(logged).toContain('host: saving works again; every change is on disk');
    await a.close();

    // Everything is on disk: a fresh host on the home (no other member holds the note) has it.
    // (The same membership address: a saved state is filed under its reference's address.)
    const again = await hostOn(home, port);
    const rb = new Recorder(again.openSession('web'));
    const reopened = await rb.session.call('open', { xml: note.reference });
    await waitFor('the note from disk', () => rb.text(reopened.handle) === expected, { timeout: 10_000 });
    expect(rb.errors()).toEqual([]);
  });

  it('a host closed while the disk is full says which objects lost their newest changes', async (ctx) => {
    if (noTmpfs) ctx.skip();
    const { home, disk } = homeOnSmallDisk();
    const a = await hostOn(home, await freeTcpPort());
    const ra = new Recorder(a.openSession('web'));
    const note = await ra.session.call('create', { template: 'note', title: 'Lost' });
    await ra.type(note.handle, 0, 'saved');
    await waitFor('the first save', () => a.store.status().unsaved === 0);
    disk.fill();
    await ra.type(note.handle, 5, ' and not saved');
    const group = /note-[0-9a-f]+/.exec(note.reference)?.[0];
    expect(group).toBeDefined();
    const closing = a.close();
    await expect(closing).rejects.toBeInstanceOf(UnsavedStateError);
    await expect(closing).rejects.toThrow(
      new RegExp(
        `the newest changes of 1 object \\(${group}\\) could not be saved: the disk is full .*They are lost with this process unless another member still has them`,
      ),
    );
  });
});

describe('durability: when an edit is on disk', () => {
  it('an edit after a quiet spell is written at once; edits close behind it wait at most saveDelayMs', async () => {
    const delay = 3_000;
    const h = await createHost({
      shell: 'web',
      home: tempHome(),
      gms: { host: '127.0.0.1', port: await freeTcpPort() },
      userName: 'alice',
      ...FAST,
      saveDelayMs: delay,
    });
    cleanup.push(() => h.close());
    const r = new Recorder(h.openSession('web'));
    const note = await r.session.call('create', { template: 'note' });
    const onDisk = (): string => {
      const [key] = readdirSync(h.store.dir).filter((k) => k.startsWith('note-'));
      return key === undefined ? '' : readFileSync(join(h.store.dir, key, 'state.bin')).toString('latin1');
    };
    await new Promise((resolve) => setTimeout(resolve, delay + 100));
    const typed = Date.now();
    await r.type(note.handle, 0, 'first-marker');
    await waitFor('the first edit on disk', () => onDisk().includes('first-marker'), {
      timeout: delay - 500,
    });
    expect(Date.now() - typed).toBeLessThan(delay - 500);
    await r.type(note.handle, 12, ' second-marker');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(onDisk()).not.toContain('second-marker');
    await waitFor('the second edit on disk', () => onDisk().includes('second-marker'), {
      timeout: delay + 2_000,
    });
  });
});
