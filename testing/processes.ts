// Child processes of tests and benchmarks: one spawner for unit, multi-process, end-to-end and
// bench code. Output is read line by line (kept for diagnostics, offered to listeners, parsed as
// JSON where a line is an object), stops are SIGTERM then SIGKILL, and every child still running
// when this process exits gets SIGKILL: a stray host or blaster would disturb every later test
// or measurement on the machine.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { WaitTimeoutError } from './wait';

export type JsonMessage = Readonly<Record<string, unknown>>;

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  readonly cwd?: string;
  /** The child's whole environment (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** Pipe stdin (for `send`/`writeLine`/`endInput`); otherwise the child gets none. */
  readonly input?: boolean;
  /**
   * A command that runs the child for us, written before it: `['ip', 'netns', 'exec', NS]` runs
   * it on a simulated machine (testing/netns.ts). The wrapper must exec the command (as
   * `ip netns exec` does) so that the pid and signals are the command's own.
   */
  readonly via?: readonly string[];
}

export type Stream = 'stdout' | 'stderr';

/** Lines kept per stream: enough for a failure report, bounded for long runs. */
const KEPT_LINES = 2_000;
/** JSON lines kept for `waitForJson` until one matches. */
const KEPT_MESSAGES = 10_000;
/** The first stderr lines usually say why a process failed; the last ones what it was doing. */
const HEAD_LINES = 2;

const running = new Set<ManagedProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of running) p.signal('SIGKILL');
  });
}

/**
 * SIGKILLs every child still running (stopped ones too). The signals go out at once, so this
 * also works from a signal handler about to exit; the promise resolves when all have exited.
 */
export async function killAll(): Promise<void> {
  const all = [...running];
  for (const p of all) p.signal('SIGKILL');
  await Promise.all(all.map((p) => p.exited));
}

export function describeExit(status: ExitStatus): string {
  return status.signal ? `signal ${status.signal}` : `code ${String(status.code)}`;
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

function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

/** One child process: its output lines, JSON messages and exit. */
export class ManagedProcess {
  readonly exited: Promise<ExitStatus>;
  /** Resolves once it has exited and all of its output has been read. */
  readonly closed: Promise<ExitStatus>;
  /** Aborted when the process exits; the reason names it, how it exited and its last output. */
  readonly running: AbortSignal;
  /** The latest lines of each stream, oldest first. */
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  private readonly stderrHead: string[] = [];
  private stderrCount = 0;
  private readonly messages: JsonMessage[] = [];
  private readonly lineListeners = new Set<(line: string, stream: Stream) => void>();
  private readonly jsonListeners = new Set<(message: JsonMessage) => void>();
  private status: ExitStatus | undefined;

  constructor(
    readonly label: string,
    command: string,
    args: readonly string[],
    options: SpawnOptions = {},
  ) {
    installExitHook();
    const controller = new AbortController();
    this.running = controller.signal;
    const [wrapper, ...wrapperArgs] = options.via ?? [];
    this.child = spawn(
      wrapper ?? command,
      wrapper === undefined ? args : [...wrapperArgs, command, ...args],
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      },
    );
    running.add(this);
    this.readLines(this.child.stdout, 'stdout');
    this.readLines(this.child.stderr, 'stderr');
    // A child that died must not crash the parent with EPIPE when a command is written to it.
    this.child.stdin?.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      const done = (status: ExitStatus): void => {
        if (this.status) return;
        this.status = status;
        running.delete(this);
        controller.abort(new Error(`${this.label} exited (${describeExit(status)}) ${this.diagnostics()}`));
        resolve(status);
      };
      this.child.on('error', (error) => {
        this.addLine(`spawn error: ${error.message}`, 'stderr');
        done({ code: null, signal: null });
      });
      this.child.on('exit', (code, signal) => done({ code, signal }));
    });
    const streamsClosed = new Promise<void>((resolve) => {
      this.child.once('close', () => resolve());
      this.child.once('error', () => resolve());
    });
    this.closed = streamsClosed.then(() => this.exited);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How it exited, once it has. */
  get exitStatus(): ExitStatus | undefined {
    return this.status;
  }

  get hasExited(): boolean {
    return this.status !== undefined;
  }

  /** Calls `listener` with every line from now on; returns the unsubscribe function. */
  onLine(listener: (line: string, stream: Stream) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Calls `listener` with every stdout line that is a JSON object, from now on. */
  onJson(listener: (message: JsonMessage) => void): () => void {
    this.jsonListeners.add(listener);
    return () => this.jsonListeners.delete(listener);
  }

  /**
   * Resolves with the first line (printed already or to come, either stream) that matches;
   * rejects when the process exits first or after `timeoutMs`, with its last output.
   */
  waitForLine(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    for (const line of [...this.stdout, ...this.stderr]) {
      const match = pattern.exec(line);
      if (match) return Promise.resolve(match);
    }
    return this.waitForEvent(`a line matching ${String(pattern)}`, timeoutMs, (resolve) =>
      this.onLine((line) => {
        const match = pattern.exec(line);
        if (match) resolve(match);
      }),
    );
  }

  /**
   * Resolves with the first JSON line (received already or to come) that matches, and takes it
   * out of the queue; rejects when the process exits first or after `timeoutMs`.
   */
  waitForJson(
    match: (message: JsonMessage) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<JsonMessage> {
    const index = this.messages.findIndex(match);
    if (index >= 0) return Promise.resolve(this.messages.splice(index, 1)[0] as JsonMessage);
    return this.waitForEvent(what, timeoutMs, (resolve) =>
      this.onJson((message) => {
        const queued = this.messages.indexOf(message);
        // Each message goes to one waiter: an earlier one may have taken it already.
        if (queued < 0 || !match(message)) return;
        this.messages.splice(queued, 1);
        resolve(message);
      }),
    );
  }

  /** Sends one JSON line to the child's stdin (`input: true`). */
  send(message: JsonMessage): void {
    this.writeLine(JSON.stringify(message));
  }

  writeLine(text: string): void {
    if (!this.status) this.child.stdin?.write(text + '\n');
  }

  /** Closes the child's stdin: end of input. */
  endInput(): void {
    this.child.stdin?.end();
  }

  /** Sends a signal while it runs (SIGSTOP/SIGCONT to perturb, SIGKILL to crash it, …). */
  signal(signal: NodeJS.Signals): void {
    if (!this.status) this.child.kill(signal);
  }

  /** SIGTERM (and SIGCONT, or a stopped child would sit on it), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<ExitStatus> {
    if (this.status) return this.status;
    this.child.kill('SIGTERM');
    this.child.kill('SIGCONT');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const status = await this.exited;
    clearTimeout(timer);
    return status;
  }

  /** SIGKILL: a crash. */
  kill(): Promise<ExitStatus> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** Its last output, for error messages: the first and last stderr lines, the last stdout lines. */
  diagnostics(): string {
    const parts: string[] = [];
    if (this.stderrCount > 14) {
      parts.push(`stderr: ${this.stderrHead.join('\n  ')}\n  …\n  ${this.stderr.slice(-8).join('\n  ')}`);
    } else if (this.stderr.length > 0) {
      parts.push(`stderr: ${this.stderr.slice(-14).join('\n  ')}`);
    }
    if (this.stdout.length > 0) parts.push(`stdout: ${this.stdout.slice(-6).join('\n  ')}`);
    return parts.length > 0 ? `\n${parts.join('\n')}` : '(no output)';
  }

  /** Everything it printed that is still kept, stdout then stderr, for a failure report. */
  log(): string {
    return [...this.stdout.map((l) => `out| ${l}`), ...this.stderr.map((l) => `err| ${l}`)].join('\n');
  }

  /** Runs `subscribe` until it resolves, the process exits or the time is up. */
  private waitForEvent<T>(
    what: string,
    timeoutMs: number,
    subscribe: (resolve: (value: T) => void) => () => void,
  ): Promise<T> {
    if (this.status) return Promise.reject(this.running.reason as Error);
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        unsubscribe();
        this.running.removeEventListener('abort', onExit);
      };
      const onExit = (): void => {
        finish();
        reject(this.running.reason as Error);
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new WaitTimeoutError(`${this.label}: no ${what} within ${timeoutMs} ms ${this.diagnostics()}`),
        );
      }, timeoutMs);
      const unsubscribe = subscribe((value) => {
        finish();
        resolve(value);
      });
      this.running.addEventListener('abort', onExit);
    });
  }

  private readLines(stream: NodeJS.ReadableStream | null, name: Stream): void {
    if (!stream) return;
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      partial += chunk;
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        this.addLine(partial.slice(0, nl), name);
        partial = partial.slice(nl + 1);
      }
    });
    stream.on('end', () => {
      if (partial !== '') this.addLine(partial, name);
      partial = '';
    });
  }

  private addLine(line: string, stream: Stream): void {
    if (stream === 'stderr') {
      this.stderrCount++;
      if (this.stderrHead.length < HEAD_LINES) this.stderrHead.push(line);
    }
    pushBounded(stream === 'stdout' ? this.stdout : this.stderr, line, KEPT_LINES);
    for (const listener of [...this.lineListeners]) listener(line, stream);
    if (stream !== 'stdout') return;
    const message = parseJsonObject(line);
    if (!message) return;
    pushBounded(this.messages, message, KEPT_MESSAGES);
    for (const listener of [...this.jsonListeners]) listener(message);
  }
}

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to its end (stopped after `timeoutMs`, if given); returns its exit and output
 * (the last lines kept of each stream).
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { readonly timeoutMs?: number } = {},
): Promise<CommandResult> {
  const { timeoutMs, ...spawnOptions } = options;
  const p = new ManagedProcess(command, command, args, spawnOptions);
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => void p.stop(), timeoutMs);
  const status = await p.closed;
  clearTimeout(timer);
  return { ...status, stdout: p.stdout.join('\n'), stderr: p.stderr.join('\n') };
}
