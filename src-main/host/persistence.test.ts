import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StorageStatus } from '../../src-shared/bridge/storage';
import { waitFor } from '../../testing/wait';
import { atomicWrite, DiskStateStore, ensureStateDir, STATE_FILE } from './persistence';
import type { FileWriter } from './persistence';

const META = { template: 'liveobjects.note', group: 'g1', gms: '127.0.0.1:7070' };
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

/** atomicWrite, failing with `code` while `full` is set: the fault-injection fake of a full disk. */
function faultyDisk(code = 'ENOSPC'): { full: boolean; writes: number; writeFile: FileWriter } {
  const disk = {
    full: false,
    writes: 0,
    writeFile: async (path: string, data: Uint8Array | string): Promise<void> => {
      disk.writes++;
      if (disk.full) throw Object.assign(new Error(`${code}: no space left on device, write`), { code });
      await atomicWrite(path, data);
    },
  };
  return disk;
}

describe('DiskStateStore', () => {
  it('writes atomically: no temporary file is left and the state reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-store-'));
    const store = new DiskStateStore(dir);
    await store.save('k1', bytes('one'), META);
    await store.save('k1', bytes('two'), META);
    expect(readFileSync(join(dir, 'k1', STATE_FILE), 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'k1')).sort()).toEqual(['meta.json', 'state.bin']);
    expect(text(new DiskStateStore(dir).load('k1'))).toBe('two');
  });

  it('keeps state readable by its owner only (it holds content in the clear and object keys)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lo-store-'));
    const dir = join(home, 'state');
    mkdirSync(dir, { mode: 0o755 });
    ensureStateDir(dir);
    const store = new DiskStateStore(dir);
    await store.save('k1', bytes('secret'), META);
    const mode = (path: string): number => statSync(path).mode & 0o777;
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'k1'))).toBe(0o700);
    expect(mode(join(dir, 'k1', STATE_FILE))).toBe(0o600);
    expect(mode(join(dir, 'k1', 'meta.json'))).toBe(0o600);
  });

  it('keeps what it could not write, reports it until written, and retries with backoff', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-store-'));
    const disk = faultyDisk('EDQUOT');
    const store = new DiskStateStore(dir, { retry: { firstMs: 20, maxMs: 80 }, writeFile: disk.writeFile });
    const statuses: StorageStatus[] = [];
    store.onStatus((s) => statuses.push(s));
    disk.full = true;
    await expect(store.save('k1', bytes('v1'), META)).rejects.toThrow(
      /could not save the state of g1 .*the disk quota is exceeded/,
    );
    await expect(store.save('k1', bytes('v2'), META)).rejects.toThrow(/quota/);
    await expect(store.save('k2', bytes('w1'), { ...META, group: 'g2' })).rejects.toThrow(/quota/);
    expect(store.status()).toMatchObject({ state: 'failing', unsaved: 2 });
    expect(store.status().state === 'failing' && store.status()).toMatchObject({
      message: `the disk quota is exceeded (writing to ${dir})`,
    });
    // Held in memory: an object opened again gets its newest state back.
    expect(text(store.load('k1'))).toBe('v2');
    expect(store.unsavedGroups().sort()).toEqual(['g1', 'g2']);
    const before = disk.writes;
    await new Promise((r) => setTimeout(r, 200));
    expect(disk.writes).toBeGreaterThan(before); // retried
    expect(disk.writes - before).toBeLessThan(12); // with backoff, not in a loop
    disk.full = false;
    await waitFor('the retries to write everything', () => store.status().state === 'ok', { timeout: 5_000 });
    expect(store.status()).toEqual({ state: 'ok', unsaved: 0 });
    expect(readFileSync(join(dir, 'k1', STATE_FILE), 'utf8')).toBe('v2');
    expect(readFileSync(join(dir, 'k2', STATE_FILE), 'utf8')).toBe('w1');
    expect(statuses.some((s) => s.state === 'failing')).toBe(true);
    expect(statuses.at(-1)).toEqual({ state: 'ok', unsaved: 0 });
    // Told when it changes, not on every save.
    expect(statuses.length).toBeLessThan(8);
    expect(await store.close()).toEqual([]);
  });

  it('close makes a last attempt and names the groups still unsaved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-store-'));
    const disk = faultyDisk();
    const store = new DiskStateStore(dir, {
      retry: { firstMs: 10_000, maxMs: 10_000 },
      writeFile: disk.writeFile,
    });
    disk.full = true;
    await store.save('k1', bytes('v1'), META).catch(() => undefined);
    expect(await store.close()).toEqual(['g1']);
    const other = new DiskStateStore(dir, { writeFile: disk.writeFile });
    await other.save('k2', bytes('x'), META).catch(() => undefined);
    disk.full = false;
    expect(await other.close()).toEqual([]);
    expect(existsSync(join(dir, 'k2', STATE_FILE))).toBe(true);
  });
});
