import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnTsx } from '../../testing/liveobjects';
import type { ManagedProcess } from '../../testing/processes';
import { freeTcpPort } from '../../testing/ports';
import { currentOwner, HomeInUseError, LOCK_FILE, lockHome } from './home-lock';

const HOST_PROCESS = join(import.meta.dirname, 'testing', 'host-process.ts');
const home = (): string => mkdtempSync(join(tmpdir(), 'lo-lock-'));

const procs: ManagedProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) if (!p.hasExited) await p.kill();
});

function hostProcess(dir: string, port: number): ManagedProcess {
  const p = spawnTsx('host', HOST_PROCESS, [dir, String(port)]);
  procs.push(p);
  return p;
}

describe('home lock', () => {
  it('a second host process on the same home refuses to start and names the first; a crashed one leaves the home free', async () => {
    const dir = home();
    const port = await freeTcpPort();
    const first = hostProcess(dir, port);
    await first.waitForLine(/^host ready$/);
    const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; command: string };
    expect(lock.pid).toBe(first.pid);
    expect(lock.command).toContain('host-process.ts');

    const second = hostProcess(dir, port);
    const status = await second.exited;
    expect(status.code).toBe(1);
    const stderr = second.stderr.join('\n');
    expect(stderr).toContain(`another Live Objects host is using the home ${dir}: process ${first.pid}`);
    expect(stderr).toContain(`kill ${first.pid}`);
    expect(stderr).toContain('--home DIR');
    expect(second.stdout).not.toContain('host ready');

    // SIGKILL: no chance to remove the lock; the next host takes the stale lock over.
    await first.kill();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    const third = hostProcess(dir, port);
    await third.waitForLine(/^host ready$/);
    expect((JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid).toBe(third.pid);
    // A clean stop releases the home.
    third.signal('SIGTERM');
    const thirdExit = await third.exited;
    expect(thirdExit, third.log()).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 60_000);

  it('in one process: held until released; a lock of a dead pid, of a reused pid, or unreadable is taken over', () => {
    const dir = home();
    const lock = lockHome(dir);
    expect(() => lockHome(dir)).toThrow(HomeInUseError);
    lock.release();
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    const me = currentOwner();
    const stale = (owner: object): void => writeFileSync(join(dir, LOCK_FILE), JSON.stringify(owner));
    // A pid that no process has (beyond the default pid_max of 2^22).
    stale({ ...me, pid: 2 ** 22 + 7 });
    lockHome(dir).release();
    // A live pid (this process's parent) whose start time is not the recorded one: reused.
    stale({ ...me, pid: process.ppid, startedAt: '2001-01-01T00:00:00.000Z' });
    if (process.platform === 'linux') lockHome(dir).release();
    // Cut short: taken over once old enough not to be one another host is writing now.
    writeFileSync(join(dir, LOCK_FILE), '{"pid": 12');
    expect(() => lockHome(dir)).toThrow(/another host is starting on it right now/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, LOCK_FILE), old, old);
    lockHome(dir).release();
    // Another machine's lock (a home on a shared drive) cannot be checked: it holds.
    stale({ ...me, hostname: `${hostname()}-elsewhere` });
    expect(() => lockHome(dir)).toThrow(/process \d+ on .*-elsewhere/);
  });
});
