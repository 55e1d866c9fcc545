// A real, tiny file system for tests of what happens when the disk is full: a tmpfs mounted
// on a temporary directory (root on Linux; whyNoSmallDisk() says why not elsewhere), filled to
// the last byte on demand and freed again.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why a tmpfs cannot be mounted here (not root, not Linux…), or undefined when it can. */
export function whyNoSmallDisk(): string | undefined {
  if (process.platform !== 'linux') return `a tmpfs needs Linux (this is ${process.platform})`;
  let disk: SmallDisk | undefined;
  try {
    disk = mountSmallDisk(64);
    return undefined;
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    return `cannot mount a tmpfs: ${stderr || (e as Error).message}`;
  } finally {
    disk?.unmount();
  }
}

export interface SmallDisk {
  readonly dir: string;
  /** Writes files until the file system is full; returns how to free that space again. */
  fill(): () => void;
  /** Unmounts it (lazily, should a process still hold a file) and removes the directory. */
  unmount(): void;
}

export function mountSmallDisk(sizeKiB: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'lo-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    dir,
    fill: () => fill(dir),
    unmount: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const FILLER = 'filler-';

function fill(dir: string): () => void {
  // Big files first, then ever smaller ones, down to what a single page leaves.
  let n = 0;
  for (let size = 64 * 1024; size >= 1; size = Math.floor(size / 2)) {
    for (;;) {
      try {
        writeFileSync(join(dir, `${FILLER}${n++}`), Buffer.alloc(size, 1));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
        break;
      }
    }
  }
  return () => {
    for (const name of readdirSync(dir))
      if (name.startsWith(FILLER)) rmSync(join(dir, name), { force: true });
  };
}
