// One host per home: home/.lock names the process that writes the home (pid, start time,
// command line, machine). Two hosts on one home would overwrite each other's saved state and
// registry, so a second one refuses to start and says which process holds the home.
//
// The lock file is created whole or not at all (written under a temporary name, then hard-linked
// to .lock, which fails if .lock exists). A lock whose process is gone (a crash, SIGKILL) is
// stale and taken over; a pid reused by another process since is told apart by its start time
// where the system reports it (Linux /proc). Commands that only read the home (`liveobjects
// doctor`, `invite`) never take it.
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { diskErrorText } from './persistence';

export const LOCK_FILE = '.lock';

/** What home/.lock holds. */
export interface LockOwner {
  readonly pid: number;
  /** When the process started (ISO 8601). */
  readonly startedAt: string;
  /** Its command line, shortened. */
  readonly command: string;
  readonly hostname: string;
}

export interface HomeLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Removes the lock if it is still this process's (idempotent). */
  release(): void;
}

/** The home is in use by another live process. */
export class HomeInUseError extends Error {
  constructor(
    readonly home: string,
    readonly owner: LockOwner,
  ) {
    const where = owner.hostname === hostname() ? '' : ` on ${owner.hostname}`;
    super(
      `another Live Objects host is using the home ${home}: process ${owner.pid}${where} (${owner.command}), ` +
        `started ${owner.startedAt}. Stop it first (quit that app, Ctrl+C its terminal, or \`kill ${owner.pid}\`), ` +
        `or give this one another home with --home DIR. If no such process runs, delete ${join(home, LOCK_FILE)}.`,
    );
    this.name = 'HomeInUseError';
  }
}

const MAX_COMMAND_CHARS = 200;
/** An unreadable lock younger than this may still be being written. */
const FRESH_LOCK_MS = 5_000;
/** Start times of one process read two ways differ by clock-tick rounding: well under this. */
const START_TIME_SLACK_MS = 2_000;

/** This process as a lock owner. */
export function currentOwner(): LockOwner {
  const command = [process.argv0, ...process.argv.slice(1)].join(' ');
  return {
    pid: process.pid,
    startedAt: new Date(Math.round(Date.now() - process.uptime() * 1000)).toISOString(),
    command: command.length > MAX_COMMAND_CHARS ? `${command.slice(0, MAX_COMMAND_CHARS - 1)}…` : command,
    hostname: hostname(),
  };
}

/** Takes home/.lock for this process, or throws HomeInUseError naming the process holding it. */
export function lockHome(home: string, owner: LockOwner = currentOwner()): HomeLock {
  const path = join(home, LOCK_FILE);
  const text = `${JSON.stringify(owner, null, 2)}\n`;
  // Two attempts: the second after setting aside a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    let created: boolean;
    try {
      created = createExclusive(path, text);
    } catch (e) {
      throw new Error(`cannot lock the home ${home}: creating ${path} failed: ${diskErrorText(e)}`, {
        cause: e,
      });
    }
    if (created) return held(path, owner, text);
    const existing = readLock(path);
    if (existing === 'missing') continue;
    if (existing !== 'unreadable' && isAlive(existing)) throw new HomeInUseError(home, existing);
    // Empty or cut short: a host starting this instant may be writing it (O_EXCL file systems).
    if (existing === 'unreadable' && ageMs(path) < FRESH_LOCK_MS) {
      throw new Error(
        `cannot lock the home ${home}: another host is starting on it right now (${path} is being written); try again in a few seconds`,
      );
    }
    removeIfUnchanged(path, existing === 'unreadable' ? undefined : existing);
  }
  const existing = readLock(path);
  if (typeof existing === 'object') throw new HomeInUseError(home, existing);
  throw new Error(`cannot lock the home ${home}: ${path} keeps appearing; is another host starting?`);
}

/** The live process holding the home's lock (a host running on it), if any; read only. */
export function homeHolder(home: string): LockOwner | undefined {
  const existing = readLock(join(home, LOCK_FILE));
  return typeof existing === 'object' && isAlive(existing) ? existing : undefined;
}

function held(path: string, owner: LockOwner, text: string): HomeLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (readFileSync(path, 'utf8') === text) rmSync(path, { force: true });
    } catch {
      // Already gone (someone removed it by hand): nothing to release.
    }
  };
  // A process that exits without closing its host still leaves the home free.
  process.on('exit', release);
  return { path, owner, release };
}

/** Creates `path` with `text` unless it exists. The file appears complete or not at all
 * (a hard link of a written file), except on file systems without hard links (FAT, some network
 * shares), where it is created with O_EXCL and written after. */
function createExclusive(path: string, text: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeDurably(tmp, 'wx', text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
  } finally {
    rmSync(tmp, { force: true });
  }
  try {
    writeDurably(path, 'wx', text);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function writeDurably(path: string, flags: string, text: string): void {
  const fd = openSync(path, flags, 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readLock(path: string): LockOwner | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (
      typeof parsed.pid === 'number' &&
      typeof parsed.startedAt === 'string' &&
      typeof parsed.command === 'string' &&
      typeof parsed.hostname === 'string'
    ) {
      return parsed as LockOwner;
    }
  } catch {
    // A lock cut short by a crash while it was written by an older build: stale.
  }
  return 'unreadable';
}

/** Whether the lock's process still runs. On another machine (a shared home) it cannot be
 * told: it counts as alive, and the message says how to remove the lock by hand. */
function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStartMs(owner.pid);
  if (started === undefined) return true;
  return Math.abs(started - Date.parse(owner.startedAt)) <= START_TIME_SLACK_MS;
}

/** When process `pid` started (ms since the epoch), where the system reports it (Linux). */
function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime, clock ticks after boot) counts from after the `(comm)` field.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const boot = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    if (!Number.isFinite(ticks) || !boot) return undefined;
    // Linux reports starttime in USER_HZ, which is 100 on every architecture Node runs on.
    return Number(boot[1]) * 1000 + (ticks / 100) * 1000;
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

/** Removes a stale lock, unless it changed since it was read (another host took it over). */
function removeIfUnchanged(path: string, stale: LockOwner | undefined): void {
  const now = readLock(path);
  if (now === 'missing') return;
  if (stale && (typeof now !== 'object' || now.pid !== stale.pid || now.startedAt !== stale.startedAt))
    return;
  rmSync(path, { force: true });
}
