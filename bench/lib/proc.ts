// Child processes for benchmarks: spawned with their stdout read as JSON lines, their stderr kept
// for error reports, and always cleaned up (a stray blaster would skew every later run).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type JsonMessage = Readonly<Record<string, unknown>>;

const TAIL_CHARS = 4000;
const HEAD_CHARS = 400;
const live = new Set<ChildProcess>();

let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

interface Waiter {
  readonly match: (msg: JsonMessage) => boolean;
  readonly resolve: (msg: JsonMessage) => void;
  readonly reject: (err: Error) => void;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class BenchProcess {
  readonly exited: Promise<ExitStatus>;
  private readonly child: ChildProcess;
  private readonly queue: JsonMessage[] = [];
  private readonly waiters = new Set<Waiter>();
  private stdoutTail = '';
  private stderrTail = '';
  /** The first lines usually say why a process failed; the last ones what it was doing. */
  private stderrHead = '';
  private stderrBytes = 0;
  private exitStatus: ExitStatus | undefined;
  private readonly lineListeners: ((line: string) => void)[] = [];

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    cwd: string,
  ) {
    installExitHook();
    this.child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(this.child);
    let partial = '';
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      partial += chunk;
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        this.onLine(partial.slice(0, nl));
        partial = partial.slice(nl + 1);
      }
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      if (this.stderrHead.length < HEAD_CHARS) this.stderrHead += chunk.slice(0, HEAD_CHARS);
      this.stderrBytes += chunk.length;
      this.stderrTail = (this.stderrTail + chunk).slice(-TAIL_CHARS);
    });
    // A child that died must not crash the runner with EPIPE when we write a command to it.
    this.child.stdin?.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      const done = (status: ExitStatus): void => {
        if (this.exitStatus) return;
        this.exitStatus = status;
        live.delete(this.child);
        const err = new Error(`${this.name} exited (${describeExit(status)}) ${this.diagnostics()}`);
        for (const w of this.waiters) w.reject(err);
        this.waiters.clear();
        resolve(status);
      };
      this.child.on('error', (err) => {
        this.stderrTail += `\nspawn error: ${err.message}`;
        done({ code: null, signal: null });
      });
      this.child.on('exit', (code, signal) => done({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitStatus !== undefined;
  }

  /** Every stdout line, JSON or not (for children that print plain text). */
  onStdoutLine(listener: (line: string) => void): void {
    this.lineListeners.push(listener);
  }

  /** Resolves with the first JSON line (already received or to come) that matches. */
  waitFor(match: (msg: JsonMessage) => boolean, timeoutMs: number, what: string): Promise<JsonMessage> {
    const index = this.queue.findIndex(match);
    if (index >= 0) return Promise.resolve(this.queue.splice(index, 1)[0] as JsonMessage);
    if (this.exitStatus) {
      return Promise.reject(
        new Error(`${this.name} exited (${describeExit(this.exitStatus)}) ${this.diagnostics()}`),
      );
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms ${this.diagnostics()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (msg) => {
          clearTimeout(timer);
          resolve(msg);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Sends one JSON line to the child's stdin. */
  send(msg: JsonMessage): void {
    if (!this.exitStatus) this.child.stdin?.write(JSON.stringify(msg) + '\n');
  }

  /** CPU time (user + system) consumed so far, from /proc; null where unavailable. */
  cpuSeconds(): number | null {
    return this.child.pid === undefined ? null : processCpuSeconds(this.child.pid);
  }

  /** Sends a signal (SIGSTOP/SIGCONT to perturb, SIGUSR2 to stop a node's sending). */
  signal(sig: NodeJS.Signals): void {
    if (!this.exitStatus) this.child.kill(sig);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 2000): Promise<ExitStatus> {
    if (this.exitStatus) return this.exitStatus;
    this.child.kill('SIGTERM');
    this.child.kill('SIGCONT'); // a SIGSTOPped child would sit on the SIGTERM
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const status = await this.exited;
    clearTimeout(timer);
    return status;
  }

  /** The last lines the child printed, for error messages. */
  diagnostics(): string {
    const parts: string[] = [];
    if (this.stderrBytes > this.stderrTail.length || this.stderrTail.split('\n').length > 14) {
      const head = this.stderrHead.split('\n').slice(0, 2).join('\n  ');
      parts.push(`stderr: ${head}\n  …\n  ${lastLines(this.stderrTail, 8)}`);
    } else if (this.stderrTail.trim()) {
      parts.push(`stderr: ${lastLines(this.stderrTail, 14)}`);
    }
    if (this.stdoutTail.trim()) parts.push(`stdout: ${lastLines(this.stdoutTail, 6)}`);
    return parts.length > 0 ? `\n${parts.join('\n')}` : '(no output)';
  }

  private onLine(line: string): void {
    this.stdoutTail = (this.stdoutTail + line + '\n').slice(-TAIL_CHARS);
    for (const listener of this.lineListeners) listener(line);
    const msg = parseJsonObject(line);
    if (!msg) return;
    for (const w of this.waiters) {
      if (w.match(msg)) {
        this.waiters.delete(w);
        w.resolve(msg);
        return;
      }
    }
    this.queue.push(msg);
  }
}

function parseJsonObject(line: string): JsonMessage | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonMessage)
      : undefined;
  } catch {
    return undefined;
  }
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n  ');
}

export function describeExit(status: ExitStatus): string {
  return status.signal ? `signal ${status.signal}` : `code ${String(status.code)}`;
}

// Linux reports utime/stime in clock ticks; 100 Hz everywhere we run (USER_HZ).
const CLOCK_TICKS = 100;

function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / CLOCK_TICKS : null;
  } catch {
    return null;
  }
}

/** Kills every child still running (used when a scenario throws). */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
