// Spawns real `liveobjects gms` and `liveobjects node` processes for multi-process tests and
// follows their JSON progress lines.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/liveobjects.js');
const API_NODE = join(import.meta.dirname, 'api-node.ts');

export async function freeTcpPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface Progress {
  sent: number;
  sendDone: boolean;
  delivered: number;
  held: number;
  cached: number;
  members: [string, number][];
}

export class Proc {
  readonly child: ChildProcess;
  last: Progress | undefined;
  id: string | undefined;
  output = '';
  exited = false;
  /** The --report file of a node process ('' for the GMS). */
  report = '';
  /** Other JSON lines (api-node.ts events), in order. */
  readonly events: { t?: string; [k: string]: unknown }[] = [];
  private readonly exit: Promise<void>;
  /** `argv` after the node executable; default: the liveobjects CLI with `args`. */
  constructor(args: string[], argv = [BIN, ...args]) {
    this.child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exit = new Promise((r) => this.child.once('exit', () => r()));
    let buf = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const j = JSON.parse(line) as { t?: string; id?: string } & Progress;
          if (j.t === 'progress') this.last = j;
          else if (j.t === 'ready') this.id = j.id;
          if (j.t !== 'progress') this.events.push({ ...j });
        } catch {
          this.output += line + '\n';
        }
      }
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.on('exit', () => (this.exited = true));
  }
  /** Resolves when the process has exited. */
  exited$(): Promise<void> {
    return this.exit;
  }
  signal(sig: NodeJS.Signals): void {
    if (!this.exited) this.child.kill(sig);
  }
  /** SIGTERM and wait for a clean exit (the node writes its report). */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await done;
    clearTimeout(t);
  }
}

export class Cluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'qsm-'));
  readonly procs: Proc[] = [];
  gms: Proc | undefined;
  gmsPort = 0;
  private n = 0;

  async startGms(extra: string[] = [], port?: number): Promise<void> {
    this.gmsPort = port ?? (await freeTcpPort());
    const base = 20000 + Math.floor(Math.random() * 9000);
    this.gms = new Proc([
      'gms',
      '--listen',
      `127.0.0.1:${this.gmsPort}`,
      '--multicast',
      `239.254.${Math.floor(Math.random() * 250)}.0/24`,
      '--ports',
      `${base}-${base + 500}`,
      ...extra,
    ]);
    this.procs.push(this.gms);
    // Wait until it accepts connections.
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      const ok = await new Promise<boolean>((r) => {
        const s = net.connect(this.gmsPort, '127.0.0.1', () => {
          s.destroy();
          r(true);
        });
        s.on('error', () => r(false));
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`gms did not start: ${this.gms.output}`);
  }

  node(args: string[]): Proc {
    const report = join(this.dir, `node${this.n++}.json`);
    const p = new Proc([
      'node',
      '--gms',
      `127.0.0.1:${this.gmsPort}`,
      '--report',
      report,
      '--progress',
      '200',
      ...args,
    ]);
    p.report = report;
    this.procs.push(p);
    return p;
  }

  /** A node driven through the engine API (testing/api-node.ts). */
  apiNode(args: string[]): Proc {
    const p = new Proc([], ['--import', 'tsx', API_NODE, '--gms', `127.0.0.1:${this.gmsPort}`, ...args]);
    this.procs.push(p);
    return p;
  }

  async killAll(): Promise<void> {
    for (const p of this.procs) {
      p.signal('SIGCONT');
      p.signal('SIGKILL');
    }
    await Promise.all(
      this.procs.map((p) => (p.exited ? undefined : new Promise((r) => p.child.once('exit', r)))),
    );
  }
}

export interface Report {
  id: string;
  sent: number;
  sendDone: boolean;
  stats: {
    messagesDelivered: number;
    senderHeldMessages: number;
    cachedMessages: number;
    dropped: Record<string, number>;
    [k: string]: unknown;
  };
  delivery: {
    counts: Record<string, number>;
    fifoViolations: number;
    duplicates: number;
    gaps: number;
    corrupt: number;
    next?: Record<string, number>;
  };
}

export function readReport(file: string): Report {
  return JSON.parse(readFileSync(file, 'utf8')) as Report;
}
