// The host's StateStore: home/state/<key>/state.bin (the model's persist() bytes) and
// meta.json (template, group, GMS, savedAt — for people and tools; never needed to load).
//
// Durability: a write is a temporary file that is written and fsynced, renamed over the old
// file, and then the directory is fsynced, so once save() resolves the state survives a crash
// or a power cut, and a crash mid-write leaves the old or the new state, never half of one.
//
// A write that fails (disk full, quota, I/O error) loses nothing: the store keeps the newest
// bytes of every object it could not write in memory, load() returns them (an object closed
// and opened again gets them back), and it retries with backoff until they are written; its
// status says how many objects are unsaved and why, so the shells can warn until it clears.
import { chmodSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { StateStore, StoredMeta } from '../objects/ui';
import type { StorageStatus } from '../../src-shared/bridge/storage';
import { errorText } from '../../src-shared/util/error-text';

export const STATE_FILE = 'state.bin';
export const META_FILE = 'meta.json';

/** Retries of failed writes: the first after 500 ms, doubling up to 30 s. */
export interface RetryTimings {
  readonly firstMs: number;
  readonly maxMs: number;
}
export const DEFAULT_RETRY: RetryTimings = { firstMs: 500, maxMs: 30_000 };

/** Writes one file durably and atomically (atomicWrite; tests inject faults around it). */
export type FileWriter = (path: string, data: Uint8Array | string) => Promise<void>;

export interface StoreOptions {
  readonly retry?: RetryTimings;
  readonly writeFile?: FileWriter;
}

interface Unsaved {
  readonly bytes: Uint8Array;
  readonly meta: StoredMeta;
}

export class DiskStateStore implements StateStore {
  /** The newest bytes of each object not yet durable: being written, or waiting for a retry. */
  private readonly unsaved = new Map<string, Unsaved>();
  /** Per key, the write running now (writes of one key never overlap). */
  private readonly writing = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(status: StorageStatus) => void>();
  private failure: { message: string; since: number } | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryMs: number;
  private closed = false;
  private lastStatus = '';

  private readonly retry: RetryTimings;
  private readonly writeFile: FileWriter;

  constructor(
    readonly dir: string,
    options: StoreOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.retryMs = this.retry.firstMs;
    this.writeFile = options.writeFile ?? atomicWrite;
  }

  load(key: string): Uint8Array | undefined {
    const pending = this.unsaved.get(key);
    if (pending) return pending.bytes;
    try {
      return new Uint8Array(readFileSync(join(this.dir, key, STATE_FILE)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`cannot read the saved state ${join(this.dir, key)}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  /**
   * Resolves once `bytes` (or newer bytes of the same key) are durable; rejects when the write
   * failed, in which case the store keeps them and retries by itself.
   */
  save(key: string, bytes: Uint8Array, meta: StoredMeta): Promise<void> {
    this.unsaved.set(key, { bytes, meta });
    this.changed();
    return this.flushKey(key);
  }

  quarantine(key: string): void {
    const file = join(this.dir, key, STATE_FILE);
    try {
      renameSync(file, `${file}.unreadable-${Date.now()}`);
    } catch {
      // Nothing to set aside, or it cannot be moved: loading will fail the same way again.
    }
  }

  /** Whether writes fail now and how many objects' state is held in memory only. */
  status(): StorageStatus {
    const unsaved = this.unsaved.size;
    if (!this.failure) return { state: 'ok', unsaved };
    return {
      state: 'failing',
      unsaved,
      message: this.failure.message,
      since: new Date(this.failure.since).toISOString(),
    };
  }

  onStatus(listener: (status: StorageStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The groups whose state is held in memory only (for the message at quit). */
  unsavedGroups(): string[] {
    return [...this.unsaved.values()].map((u) => u.meta.group);
  }

  /** Resolves when every write started so far has ended (retries waiting on their timer aside). */
  async idle(): Promise<void> {
    while (this.writing.size > 0) await Promise.allSettled([...this.writing.values()]);
  }

  /** Tries every unsaved state now; resolves with the number still unsaved. */
  async flush(): Promise<number> {
    await Promise.allSettled([...this.unsaved.keys()].map((key) => this.flushKey(key)));
    await this.idle();
    return this.unsaved.size;
  }

  /** Stops retrying after one last attempt; the groups still unsaved (lost with the process). */
  async close(): Promise<string[]> {
    await this.idle();
    await this.flush();
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    return this.unsavedGroups();
  }

  /** Writes the newest unsaved bytes of `key` after the write running now, if any. */
  private flushKey(key: string): Promise<void> {
    const before = this.writing.get(key) ?? Promise.resolve();
    const run = before
      .catch(() => undefined)
      .then(async () => {
        const entry = this.unsaved.get(key);
        if (!entry) return; // an earlier write already took these bytes
        try {
          await this.write(key, entry.bytes, entry.meta);
        } catch (e) {
          this.failed(e);
          throw e;
        }
        if (this.unsaved.get(key) === entry) this.unsaved.delete(key);
        this.succeeded();
      });
    const tracked = run.finally(() => {
      if (this.writing.get(key) === tracked) this.writing.delete(key);
    });
    this.writing.set(key, tracked);
    return tracked;
  }

  private failed(error: unknown): void {
    const message = `${diskErrorText((error as Error).cause ?? error)} (writing to ${this.dir})`;
    this.failure = { message, since: this.failure?.since ?? Date.now() };
    this.scheduleRetry();
    this.changed();
  }

  private succeeded(): void {
    if (this.failure) {
      // Writing works again (space was freed): retry the others soon, not after the backoff.
      this.retryMs = this.retry.firstMs;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      if (this.unsaved.size === 0) this.failure = undefined;
      else this.scheduleRetry();
    }
    this.changed();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.retry.maxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush().then((left) => {
        if (left > 0) this.scheduleRetry();
      });
    }, delay);
    // The host's close makes the last attempt and says what is unsaved; the timer alone must
    // not keep a process alive.
    this.retryTimer.unref();
  }

  /** Tells the listeners when writes begin or stop failing, and while they fail, when the
   * number of unsaved objects or the reason changes (not on every successful save). */
  private changed(): void {
    const status = this.status();
    const text = status.state === 'ok' ? 'ok' : JSON.stringify({ ...status, since: undefined });
    if (text === this.lastStatus) return;
    this.lastStatus = text;
    for (const l of [...this.listeners]) l(status);
  }

  private async write(key: string, bytes: Uint8Array, meta: StoredMeta): Promise<void> {
    const dir = join(this.dir, key);
    try {
      if ((await mkdir(dir, { recursive: true, mode: 0o700 })) !== undefined) await syncDirectory(this.dir);
      await this.writeFile(join(dir, STATE_FILE), bytes);
      await this.writeFile(
        join(dir, META_FILE),
        `${JSON.stringify({ ...meta, savedAt: new Date().toISOString() }, null, 2)}\n`,
      );
    } catch (e) {
      throw new Error(
        `could not save the state of ${meta.group} to ${dir}: ${diskErrorText(e)} (the object keeps running; its state is kept in memory and saved when writing works again)`,
        { cause: e },
      );
    }
  }
}

/** What a failed write means, in the user's words. */
export function diskErrorText(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'the disk quota is exceeded';
    case 'EIO':
      return 'the disk reported an input/output error';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return errorText(error);
  }
}

/** Writes `path` so that after it resolves the new content survives a crash: temp + fsync +
 * rename + fsync of the directory. Readable by the owner only: state holds object content in
 * the clear, and a desktop's state the keys of the objects on it. */
export async function atomicWrite(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const file = await open(tmp, 'w', 0o600);
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
    await syncDirectory(dirname(path));
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Makes a rename or a new entry in `dir` durable. Windows cannot open a directory for it (and
 * its renames are durable once they return), so there it is a no-op. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates home/state (synchronously: the host cannot run without knowing it works), for the
 * owner only (see atomicWrite), tightening an existing one. */
export function ensureStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}
