// The engine side of the `engine` scenario: a `liveobjects gms` process, N receiver
// `liveobjects node` processes and one sender node, all on loopback. Throughput is the rate at
// which receivers deliver, over a window after a warm-up (like the raw baseline), read from the
// nodes' `--progress` lines; their `--report` files must show every message delivered, in order.
// Field names follow src-main/cli/commands/node.ts and src-main/engine/stats.ts.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchProcess, sleep } from './proc';

export interface EngineOptions {
  readonly root: string;
  readonly receivers: number;
  readonly size: number;
  /** Sender rate in msgs/s for `--send`; 0 = as fast as the engine's flow control allows. */
  readonly rate: number;
  readonly warmupSec: number;
  readonly windowSec: number;
  /** Expected engine rate (msgs/s) to size the message count when unpaced; refined by retries. */
  readonly estimate: number;
  readonly nodeArgs: readonly string[];
  readonly progress: (message: string) => void;
}

export interface EngineReceiverResult {
  readonly name: string;
  /** Delivered over the whole run, from the node's final report. */
  readonly delivered: number | null;
  readonly msgsPerSec: number | null;
  readonly mbPerSec: number | null;
  /** Mean token round-trip time this node measured, if it measured any. */
  readonly tokenRttMs: number | null;
  /** CPU use over the window, in cores. */
  readonly cpu: number | null;
  readonly report: unknown;
}

export interface EngineResult {
  /** How the rates were obtained (shown in the notes). */
  readonly method: string;
  /** Messages the sender was asked to send. */
  readonly count: number;
  /** Messages the sender sent (its report), which every receiver must deliver. */
  readonly sent: number | null;
  /** Length of the measurement window actually used (shorter if the sender ran out). */
  readonly windowSec: number;
  /** Seconds from the sender's first delivery to the last receiver delivering everything. */
  readonly completionSec: number | null;
  readonly receivers: readonly EngineReceiverResult[];
  readonly meanMsgsPerSec: number | null;
  readonly minMsgsPerSec: number | null;
  readonly meanMBPerSec: number | null;
  readonly minMBPerSec: number | null;
  readonly tokenRttMs: number | null;
  readonly tokenRttNote: string;
  readonly senderCpu: number | null;
  readonly senderReport: unknown;
  /** Incomplete delivery, order violations and the like; the rates are still reported. */
  readonly problems: readonly string[];
}

const MB = 2 ** 20;
const READY_TIMEOUT_MS = 30_000;
const FIRST_DELIVERY_TIMEOUT_MS = 30_000;
const PROGRESS_MS = 200;
/** Beyond the time the measured rate predicts, how long receivers get to deliver the rest. */
const DRAIN_SLACK_MS = 15_000;
const DRAIN_MAX_MS = 60_000;
const STOP_GRACE_MS = 5000;

// --- reading node output ----------------------------------------------------------------

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function field(value: unknown, ...keys: string[]): unknown {
  let cur = value;
  for (const key of keys) cur = isObject(cur) ? cur[key] : undefined;
  return cur;
}

/** `stats.messagesDelivered` of a `--report` file. */
export function deliveredOf(report: unknown): number | undefined {
  const v = field(report, 'stats', 'messagesDelivered');
  return isNumber(v) ? v : undefined;
}

/** Mean token round-trip time of a report; engine/stats.ts reports avg 0 before any sample. */
export function tokenRttOf(report: unknown): number | undefined {
  const v = field(report, 'stats', 'tokenRttMs', 'avg');
  return isNumber(v) && v > 0 ? v : undefined;
}

/** FIFO/exactly-once/corruption counts of the report's delivery check, when non-zero. */
export function deliveryViolations(report: unknown): string[] {
  const out: string[] = [];
  for (const key of ['fifoViolations', 'duplicates', 'corrupt']) {
    const v = field(report, 'delivery', key);
    if (isNumber(v) && v > 0) out.push(`${key} ${v}`);
  }
  return out;
}

interface Sample {
  readonly t: number;
  readonly delivered: number;
}

/** A node process, with what its progress lines said so far. */
class EngineNode {
  readonly proc: BenchProcess;
  latest: Sample | undefined;
  firstDeliveryAt: number | undefined;
  sent = 0;
  sendDone = false;
  sendDoneAt: number | undefined;

  constructor(
    readonly name: string,
    cli: string,
    args: readonly string[],
    cwd: string,
    readonly reportFile: string,
  ) {
    this.proc = new BenchProcess(name, process.execPath, [cli, 'node', ...args], cwd);
    this.proc.onStdoutLine((line) => this.onLine(line));
  }

  private onLine(line: string): void {
    if (!line.startsWith('{')) return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (!isObject(msg) || msg.t !== 'progress') return;
    const now = performance.now();
    if (isNumber(msg.delivered)) {
      this.latest = { t: now, delivered: msg.delivered };
      if (msg.delivered > 0) this.firstDeliveryAt ??= now;
    }
    if (isNumber(msg.sent)) this.sent = msg.sent;
    if (msg.sendDone === true && !this.sendDone) {
      this.sendDone = true;
      this.sendDoneAt = now;
    }
  }

  ready(): Promise<unknown> {
    return this.proc.waitFor((m) => m.t === 'ready', READY_TIMEOUT_MS, '"ready" line');
  }

  async readReport(): Promise<unknown> {
    try {
      return JSON.parse(await readFile(this.reportFile, 'utf8')) as unknown;
    } catch (err) {
      throw new Error(
        `${this.name}: no readable report (${(err as Error).message}) ${this.proc.diagnostics()}`,
      );
    }
  }
}

// --- helpers ------------------------------------------------------------------------------

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForGms(gms: BenchProcess, port: number): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (gms.hasExited) throw new Error(`liveobjects gms exited ${gms.diagnostics()}`);
    if (await tcpAccepts(port)) return;
    await sleep(100);
  }
  throw new Error(`liveobjects gms did not listen on port ${port} within ${READY_TIMEOUT_MS} ms`);
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

function failIfExited(nodes: readonly EngineNode[]): void {
  for (const n of nodes) {
    if (n.proc.hasExited) throw new Error(`${n.name} exited early ${n.proc.diagnostics()}`);
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

// --- the measurement ----------------------------------------------------------------------

/**
 * One run. Unpaced, the sender sends a fixed count sized from `estimate` so that sending lasts
 * beyond the window; if it runs out early the window is cut where the receivers caught up and
 * `windowSec` says so (the caller may retry with a better estimate).
 */
export async function measureEngine(opts: EngineOptions): Promise<EngineResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'liveobjects-bench-'));
  const cli = path.join(opts.root, 'bin', 'liveobjects.js');
  const group = `bench${Math.floor(Math.random() * 1e6)}`;
  const port = await freeTcpPort();
  const gmsAddr = `127.0.0.1:${port}`;
  const gms = new BenchProcess(
    'liveobjects gms',
    process.execPath,
    [cli, 'gms', '--listen', gmsAddr],
    opts.root,
  );
  const nodes: EngineNode[] = [];
  const problems: string[] = [];
  const common = ['--gms', gmsAddr, '--progress', String(PROGRESS_MS), ...opts.nodeArgs];
  try {
    await waitForGms(gms, port);
    const receivers = Array.from({ length: opts.receivers }, (_, i) => {
      const file = path.join(dir, `receiver-${i + 1}.json`);
      return new EngineNode(
        `receiver node #${i + 1}`,
        cli,
        ['--join', group, '--report', file, ...common],
        opts.root,
        file,
      );
    });
    nodes.push(...receivers);
    await Promise.all(receivers.map((r) => r.ready()));

    const rate = opts.rate > 0 ? opts.rate : opts.estimate;
    const count = Math.ceil(rate * (opts.warmupSec + opts.windowSec + 1) * (opts.rate > 0 ? 1 : 1.3));
    const senderFile = path.join(dir, 'sender.json');
    // --wait-members: sending starts once every receiver is in the group view.
    const sender = new EngineNode(
      'sender node',
      cli,
      [
        '--to',
        group,
        '--send',
        String(opts.rate),
        '--size',
        String(opts.size),
        '--count',
        String(count),
        '--wait-members',
        String(opts.receivers + 1),
        '--report',
        senderFile,
        ...common,
      ],
      opts.root,
      senderFile,
    );
    nodes.push(sender);
    await sender.ready();

    const started = await waitUntil(() => {
      failIfExited(nodes);
      return receivers.some((r) => r.firstDeliveryAt !== undefined);
    }, FIRST_DELIVERY_TIMEOUT_MS);
    if (!started) {
      throw new Error(
        `no receiver delivered anything within ${FIRST_DELIVERY_TIMEOUT_MS / 1000} s ` +
          `(sender sent ${sender.sent}) ${sender.proc.diagnostics()}`,
      );
    }
    const firstDelivery = performance.now();
    await sleep(opts.warmupSec * 1000);
    failIfExited(nodes);
    const allDone = (): boolean =>
      receivers.every((r) => r.latest !== undefined && r.latest.delivered >= count);
    const snapshot = (): { s: Sample; cpu: number | null }[] =>
      receivers.map((r) => ({
        s: r.latest ?? { t: performance.now(), delivered: 0 },
        cpu: r.proc.cpuSeconds(),
      }));
    const a = snapshot();
    const senderCpuA = sender.proc.cpuSeconds();
    const windowStart = performance.now();
    // The window ends after windowSec, or earlier once every receiver has everything.
    await waitUntil(() => allDone(), opts.windowSec * 1000);
    const b = snapshot();
    const senderCpuB = sender.proc.cpuSeconds();
    const windowSec = (performance.now() - windowStart) / 1000;

    const rates = receivers.map((_, i) => {
      const x = a[i] as { s: Sample; cpu: number | null };
      const y = b[i] as { s: Sample; cpu: number | null };
      const sec = (y.s.t - x.s.t) / 1000;
      return {
        msgs: sec > 0 ? (y.s.delivered - x.s.delivered) / sec : 0,
        cpu: x.cpu !== null && y.cpu !== null ? (y.cpu - x.cpu) / windowSec : null,
      };
    });
    const slowest = Math.min(...rates.map((r) => r.msgs));
    opts.progress(
      `engine, ${opts.receivers} receiver(s): ${Math.round(slowest)} msgs/s at the slowest receiver ` +
        `over ${windowSec.toFixed(1)} s; waiting for all ${count} messages`,
    );

    // Everything sent must arrive: wait as long as the measured rate says, plus slack.
    const remaining = Math.max(0, ...receivers.map((r) => count - (r.latest?.delivered ?? 0)));
    const drainMs = Math.min(DRAIN_MAX_MS, (remaining / Math.max(slowest, 1)) * 1000 + DRAIN_SLACK_MS);
    const complete = await waitUntil(() => allDone() || nodes.some((n) => n.proc.hasExited), drainMs);
    const completionSec = complete && allDone() ? (performance.now() - firstDelivery) / 1000 : null;

    await Promise.all(nodes.map((n) => n.proc.stop(STOP_GRACE_MS)));
    const senderReport = await sender.readReport();
    const reports = await Promise.all(receivers.map((r) => r.readReport()));
    const sentField = field(senderReport, 'sent');
    const sent = isNumber(sentField) ? sentField : null;
    if (sent === null) problems.push('the sender report has no "sent" count');
    else if (sent < count) problems.push(`the sender sent only ${sent} of ${count} messages`);

    const results: EngineReceiverResult[] = receivers.map((r, i) => {
      const report = reports[i];
      const delivered = deliveredOf(report) ?? null;
      if (delivered === null) problems.push(`${r.name}: its report has no stats.messagesDelivered`);
      else if (sent !== null && delivered < sent) {
        problems.push(
          `${r.name} delivered ${delivered} of ${sent} messages (waited ${(drainMs / 1000).toFixed(0)} s)`,
        );
      }
      const violations = deliveryViolations(report);
      if (violations.length > 0) problems.push(`${r.name}: delivery check: ${violations.join(', ')}`);
      const w = rates[i] as { msgs: number; cpu: number | null };
      return {
        name: r.name,
        delivered,
        msgsPerSec: w.msgs,
        mbPerSec: (w.msgs * opts.size) / MB,
        tokenRttMs: tokenRttOf(report) ?? null,
        cpu: w.cpu,
        report,
      };
    });
    const rtts = [...results.map((r) => r.tokenRttMs), tokenRttOf(senderReport) ?? null].filter(isNumber);
    const msgRates = results.map((r) => r.msgsPerSec).filter(isNumber);
    const mbRates = results.map((r) => r.mbPerSec).filter(isNumber);
    return {
      method:
        `delivered counts from \`--progress\` lines over ${windowSec.toFixed(1)} s after ` +
        `${opts.warmupSec} s warm-up; sender ${opts.rate > 0 ? `paced at ${opts.rate}/s` : 'unpaced'}, ` +
        `${count} messages` +
        (completionSec !== null
          ? `, all delivered ${completionSec.toFixed(1)} s after the first delivery`
          : ''),
      count,
      sent,
      windowSec,
      completionSec,
      receivers: results,
      meanMsgsPerSec: msgRates.length ? mean(msgRates) : null,
      minMsgsPerSec: msgRates.length ? Math.min(...msgRates) : null,
      meanMBPerSec: mbRates.length ? mean(mbRates) : null,
      minMBPerSec: mbRates.length ? Math.min(...mbRates) : null,
      tokenRttMs: rtts.length ? mean(rtts) : null,
      tokenRttNote: rtts.length
        ? 'mean of stats.tokenRttMs.avg over the nodes that measured one'
        : 'no node reported a token round trip (stats.tokenRttMs.avg is 0)',
      senderCpu:
        senderCpuA !== null && senderCpuB !== null && windowSec > 0
          ? (senderCpuB - senderCpuA) / windowSec
          : null,
      senderReport,
      problems,
    };
  } finally {
    await Promise.all([...nodes.map((n) => n.proc.stop(1000)), gms.stop(1000)]);
    await rm(dir, { recursive: true, force: true });
  }
}
