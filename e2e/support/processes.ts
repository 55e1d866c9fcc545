// Child processes of a test: a private GMS and `liveobjects serve` hosts. Every child is tracked
// and killed when the cluster is disposed, and with SIGKILL if the test process itself exits.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLI, ROOT } from './paths';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const LOG_LINES = 2_000;

const running = new Set<ChildProcess>();
const killAll = (): void => {
  for (const child of running) child.kill('SIGKILL');
};
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One child process: its output lines (kept for diagnostics) and its exit. */
class Proc {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;
  private readonly watchers = new Set<(line: string) => void>();

  constructor(
    readonly label: string,
    readonly child: ChildProcess,
  ) {
    running.add(child);
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        running.delete(child);
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    for (const [stream, tag] of [
      [child.stdout, 'out'],
      [child.stderr, 'err'],
    ] as const) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(`${tag}| ${line}`);
        if (this.lines.length > LOG_LINES) this.lines.shift();
        for (const watch of this.watchers) watch(line);
      });
    }
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
  waitForLine(pattern: RegExp, timeout = START_TIMEOUT_MS): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.watchers.delete(watch);
      };
      const watch = (line: string): void => {
        const match = pattern.exec(line);
        if (match) {
          done();
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.label}: no line matching ${pattern} within ${timeout} ms\n${this.log()}`));
      }, timeout);
      this.watchers.add(watch);
      void this.exited.then((exit) => {
        if (!this.watchers.has(watch)) return;
        done();
        reject(
          new Error(`${this.label} exited (${exit.code ?? exit.signal}) before starting\n${this.log()}`),
        );
      });
    });
  }

  /** SIGTERM, then SIGKILL if it does not exit in time. */
  async stop(): Promise<Exit> {
    if (!this.alive) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  async kill(): Promise<Exit> {
    if (this.alive) this.child.kill('SIGKILL');
    return this.exited;
  }

  log(): string {
    return this.lines.join('\n');
  }
}

function cli(label: string, args: readonly string[]): Proc {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  return new Proc(label, child);
}

/** A `liveobjects serve` process for one user. */
export interface Host {
  readonly name: string;
  readonly home: string;
  /** The page URL, token included. */
  readonly url: string;
  /** SIGTERM: the host leaves its groups and flushes its state. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

/** A private GMS plus the hosts of one test file, all under one temporary directory. */
export class Cluster {
  private readonly procs: Proc[] = [];

  private constructor(
    /** Temporary directory holding homes and downloads. */
    readonly dir: string,
    private readonly gms: Proc,
    /** HOST:PORT of the private GMS. */
    readonly gmsAddress: string,
  ) {
    this.procs.push(gms);
  }

  static async start(): Promise<Cluster> {
    const dir = mkdtempSync(join(tmpdir(), 'liveobjects-e2e-'));
    // A random multicast block and port range keep concurrent runs on this machine apart.
    const block = 1 + Math.floor(Math.random() * 250);
    const ports = 20_000 + Math.floor(Math.random() * 45) * 200;
    const gms = cli('gms', [
      'gms',
      '--listen',
      '127.0.0.1:0',
      '--multicast',
      `239.255.${block}.0/24`,
      '--ports',
      `${ports}-${ports + 199}`,
    ]);
    try {
      const match = await gms.waitForLine(/listening on (\S+:\d+)/);
      return new Cluster(dir, gms, match[1] ?? '');
    } catch (error) {
      await gms.kill();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Starts `liveobjects serve` for `name`; `home` defaults to a fresh directory per name. */
  async host(name: string, options: { home?: string } = {}): Promise<Host> {
    const home = options.home ?? join(this.dir, `home-${name.toLowerCase()}`);
    const args = ['serve', '--port', '0', '--gms', this.gmsAddress, '--home', home, '--name', name];
    const proc = cli(`host ${name}`, args);
    this.procs.push(proc);
    const match = await proc.waitForLine(/^Live Objects at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/);
    const url = match[1] ?? '';
    return {
      name,
      home,
      url,
      stop: async () => {
        await proc.stop();
      },
      kill: async () => {
        await proc.kill();
      },
    };
  }

  /** Every process's output, for a failure report. */
  logs(): Array<{ label: string; log: string }> {
    return this.procs.map((p, i) => ({ label: `${i}-${p.label.replace(/\s+/g, '-')}`, log: p.log() }));
  }

  /** Stops the hosts (SIGTERM, then SIGKILL), then the GMS, and removes the directory. */
  async dispose(): Promise<void> {
    const hosts = this.procs.filter((p) => p !== this.gms);
    await Promise.all(hosts.map((p) => p.stop()));
    await this.gms.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
