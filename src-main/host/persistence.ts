// The host's StateStore: home/state/<key>/state.bin (the model's persist() bytes) and
// meta.json (template, group, GMS, savedAt — for people and tools; never needed to load).
// Writes are atomic (temporary file + rename in the same directory), so a crash leaves the
// old or the new state, never half of one. A write in flight is what load() returns.
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { StateStore, StoredMeta } from '../objects/ui';

export const STATE_FILE = 'state.bin';
export const META_FILE = 'meta.json';

export class DiskStateStore implements StateStore {
  private readonly inFlight = new Map<string, Uint8Array>();
  private readonly writes = new Set<Promise<void>>();

  constructor(readonly dir: string) {}

  load(key: string): Uint8Array | undefined {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    try {
      return new Uint8Array(readFileSync(join(this.dir, key, STATE_FILE)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`cannot read the saved state ${join(this.dir, key)}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  save(key: string, bytes: Uint8Array, meta: StoredMeta): Promise<void> {
    this.inFlight.set(key, bytes);
    const write = this.write(key, bytes, meta).finally(() => {
      if (this.inFlight.get(key) === bytes) this.inFlight.delete(key);
      this.writes.delete(write);
    });
    this.writes.add(write);
    return write;
  }

  quarantine(key: string): void {
    const file = join(this.dir, key, STATE_FILE);
    try {
      renameSync(file, `${file}.unreadable-${Date.now()}`);
    } catch {
      // Nothing to set aside, or it cannot be moved: loading will fail the same way again.
    }
  }

  /** Resolves when every write started so far has ended. */
  async idle(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  private async write(key: string, bytes: Uint8Array, meta: StoredMeta): Promise<void> {
    const dir = join(this.dir, key);
    try {
      await mkdir(dir, { recursive: true });
      await atomicWrite(join(dir, STATE_FILE), bytes);
      await atomicWrite(
        join(dir, META_FILE),
        `${JSON.stringify({ ...meta, savedAt: new Date().toISOString() }, null, 2)}\n`,
      );
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOSPC'
          ? 'the disk is full'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (e as Error).message;
      throw new Error(
        `could not save the state of ${meta.group} to ${dir}: ${why} (the object keeps running)`,
        {
          cause: e,
        },
      );
    }
  }
}

async function atomicWrite(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Creates home/state (synchronously: the host cannot run without knowing it works). */
export function ensureStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
