// The engine side of the benchmarks: a `liveobjects gms` process, N receiver `liveobjects node`
// processes and one sender node, all on loopback or (`placement`) each on a simulated machine. Throughput is the rate at which receivers
// deliver over a window after a warm-up, read from the nodes' `--progress` lines. At the end of
// the window the runner stops the sender with SIGUSR2 (it stays up), takes its final `sent`
// count and waits until every receiver has delivered that many; their `--report` files must
// show everything delivered, in order.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  compactReport,
  deliveredOf,
  deliveryViolations,
  latencyOf,
  numberField,
  parseProgress,
  tokenRttOf,
} from './node-report';
import { cpuShares, readCpuTimes, type CpuShares } from './machine-cpu';
import type { LatencySummary, ProgressSample } from './node-report';
import { spawnCli, startGms } from '../../testing/liveobjects';
import { writeTeamInvitation } from '../../src-main/host/workspace/testing/team';
import type { GmsProcess } from '../../testing/liveobjects';
import type { ManagedProcess } from '../../testing/processes';
import { delay, inTime, waitFor } from '../../testing/wait';
import { meanOf, minOf } from './stats';
import { nodeAddressArgs, ON_LOOPBACK } from './placement';
import { isLoopbackHost } from '../../src-main/engine/gms';
import type { Place, Placement } from './placement';

export interface EngineOptions {
  readonly root: string;
  readonly receivers: number;
  readonly size: number;
  /** Sender rate in msgs/s for `--send`; 0 = as fast as the engine's flow control allows. */
  readonly rate: number;
  readonly warmupSec: number;
  readonly windowSec: number;
  readonly nodeArgs: readonly string[];
  readonly progress: (message: string) => void;
  /** Groups (`--group-count`): sender and receivers join all, the sender round-robins. */
  readonly groups?: number;
  /** Stamp payloads and have receivers report end-to-end latency (`--latency`). */
  readonly latency?: boolean;
  /** Extra arguments for receiver `index` (0-based), e.g. fault injection. */
  readonly receiverArgs?: (index: number) => readonly string[];
  /** Started when the window starts; the returned function ends the perturbation. */
  readonly perturb?: (receivers: readonly ManagedProcess[]) => () => void;
  /** Run nodes with --expose-gc so their reports measure memory after a full GC. */
  readonly exposeGc?: boolean;
  /** How long nodes get to start (many groups take longer). */
  readonly readyTimeoutMs?: number;
  /** Where the nodes run (default: all on loopback); the GMS runs beside the sender. */
  readonly placement?: Placement;
  /** An invitation file (`liveobjects invite`): the GMS and every node authenticate all traffic
   * under its workspace key. Default: none on loopback, a fresh workspace off loopback. */
  readonly invitation?: string;
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
  /** CPU time per delivered message over the window, µs (process.cpuUsage). */
  readonly cpuUsPerMsg: number | null;
  readonly latency: LatencySummary | null;
  /** heapUsed at exit (after a full GC with exposeGc), bytes. */
  readonly heapUsed: number | null;
  /** Messages it received as repairs over the whole run (datagrams it lost and got again). */
  readonly repairs: number | null;
  readonly report: unknown;
}

export interface EngineResult {
  /** How the rates were obtained (shown in the notes). */
  readonly method: string;
  /** Messages the sender sent (its report), which every receiver must deliver. */
  readonly sent: number | null;
  readonly windowSec: number;
  /** Seconds from the sender's stop to the last receiver delivering everything. */
  readonly drainSec: number | null;
  readonly senderMsgsPerSec: number | null;
  readonly receivers: readonly EngineReceiverResult[];
  readonly meanMsgsPerSec: number | null;
  readonly minMsgsPerSec: number | null;
  readonly meanMBPerSec: number | null;
  readonly minMBPerSec: number | null;
  readonly tokenRttMs: number | null;
  readonly tokenRttNote: string;
  readonly senderCpu: number | null;
  readonly senderCpuUsPerMsg: number | null;
  readonly senderHeapUsed: number | null;
  readonly senderReport: unknown;
  /** The whole machine's CPU over the window (Linux; null elsewhere). */
  readonly machineCpu: CpuShares | null;
  /** Incomplete delivery, order violations and the like; the rates are still reported. */
  readonly problems: readonly string[];
}

const MB = 2 ** 20;
const READY_TIMEOUT_MS = 30_000;
const FIRST_DELIVERY_TIMEOUT_MS = 30_000;
const SEND_STOP_TIMEOUT_MS = 15_000;
const PROGRESS_MS = 200;
/** Beyond the time the measured rate predicts, how long receivers get to deliver the rest. */
const DRAIN_SLACK_MS = 15_000;
const DRAIN_MAX_MS = 60_000;
const STOP_GRACE_MS = 5000;

/** A node process, with what its progress lines said so far. */
class EngineNode {
  readonly proc: ManagedProcess;
  latest: ProgressSample | undefined;
  firstDeliveryAt: number | undefined;

  constructor(
    readonly name: string,
    args: readonly string[],
    readonly reportFile: string,
    nodeFlags: readonly string[],
    place: Place,
  ) {
    this.proc = spawnCli(name, ['node', ...nodeAddressArgs(place), ...args], { nodeFlags, via: place.via });
    this.proc.onLine((line, stream) => {
      if (stream !== 'stdout') return;
      const sample = parseProgress(line, performance.now());
      if (!sample) return;
      this.latest = sample;
      if (sample.delivered > 0) this.firstDeliveryAt ??= sample.t;
    });
  }

  ready(timeoutMs: number): Promise<unknown> {
    return this.proc.waitForJson((m) => m.t === 'ready', timeoutMs, '"ready" line');
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

function failIfExited(nodes: readonly EngineNode[]): void {
  for (const n of nodes) {
    if (n.proc.hasExited) throw new Error(`${n.name} exited early ${n.proc.diagnostics()}`);
  }
}

interface Delta {
  readonly sec: number;
  readonly delivered: number;
  readonly sent: number;
  readonly cpuUs: number | null;
}

function delta(a: ProgressSample | undefined, b: ProgressSample | undefined): Delta {
  if (!a || !b) return { sec: 0, delivered: 0, sent: 0, cpuUs: null };
  return {
    sec: (b.t - a.t) / 1000,
    delivered: b.delivered - a.delivered,
    sent: b.sent - a.sent,
    cpuUs: a.cpuUs !== null && b.cpuUs !== null ? b.cpuUs - a.cpuUs : null,
  };
}

const perSec = (n: number, sec: number): number | null => (sec > 0 ? n / sec : null);
const perMsg = (us: number | null, n: number): number | null => (us !== null && n > 0 ? us / n : null);
/** CPU use over a delta, in cores. */
const cores = (d: Delta): number | null => (d.cpuUs !== null && d.sec > 0 ? d.cpuUs / 1e6 / d.sec : null);

// --- the measurement ----------------------------------------------------------------------

export async function measureEngine(opts: EngineOptions): Promise<EngineResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'liveobjects-bench-'));
  const group = `bench${Math.floor(Math.random() * 1e6)}`;
  const groups = Math.max(1, opts.groups ?? 1);
  const readyTimeout = opts.readyTimeoutMs ?? READY_TIMEOUT_MS;
  const nodes: EngineNode[] = [];
  const problems: string[] = [];
  const nodeFlags = opts.exposeGc ? ['--expose-gc'] : [];
  // Latency samples of the warm-up are left out (indices are per group stream).
  const latencySkip = opts.latency && opts.rate > 0 ? Math.ceil((opts.rate * opts.warmupSec) / groups) : 0;
  let gms: GmsProcess | undefined;
  let stopPerturbation: (() => void) | undefined;
  try {
    const placement = opts.placement ?? ON_LOOPBACK;
    // Off loopback the nodes and the GMS must hold a workspace key (`--workspace`): one
    // invitation for the run, as a team's members would each hold.
    const invitation =
      opts.invitation ??
      (isLoopbackHost(placement.sender.address) ? undefined : writeTeamInvitation(dir, 'bench'));
    const workspace = invitation !== undefined ? ['--workspace', invitation] : [];
    gms = await startGms({
      host: placement.sender.address,
      via: placement.sender.via,
      timeoutMs: READY_TIMEOUT_MS,
      ...(invitation !== undefined && { invitation }),
    });
    const common = [
      ...workspace,
      '--gms',
      gms.address,
      '--progress',
      String(PROGRESS_MS),
      ...(groups > 1 ? ['--group-count', String(groups)] : []),
      ...(opts.latency ? ['--latency'] : []),
      ...opts.nodeArgs,
    ];
    const receivers = Array.from({ length: opts.receivers }, (_, i) => {
      const file = path.join(dir, `receiver-${i + 1}.json`);
      const args = ['--join', group, '--report', file, ...common, ...(opts.receiverArgs?.(i) ?? [])];
      if (latencySkip > 0) args.push('--latency-skip', String(latencySkip));
      return new EngineNode(`receiver node #${i + 1}`, args, file, nodeFlags, placement.receiver(i));
    });
    nodes.push(...receivers);
    await Promise.all(receivers.map((r) => r.ready(readyTimeout)));

    const senderFile = path.join(dir, 'sender.json');
    // --wait-members: sending starts once every receiver is in the group view(s); no --count:
    // SIGUSR2 ends sending after the window.
    const sender = new EngineNode(
      'sender node',
      [
        '--to',
        group,
        '--send',
        String(opts.rate),
        '--size',
        String(opts.size),
        '--wait-members',
        String(opts.receivers + 1),
        '--report',
        senderFile,
        ...common,
      ],
      senderFile,
      nodeFlags,
      placement.sender,
    );
    nodes.push(sender);
    await sender.ready(readyTimeout);

    const started = await inTime(
      waitFor('a first delivery', () => receivers.some((r) => r.firstDeliveryAt !== undefined), {
        timeout: FIRST_DELIVERY_TIMEOUT_MS + readyTimeout,
        signal: AbortSignal.any(nodes.map((n) => n.proc.running)),
      }),
    );
    if (!started) {
      throw new Error(
        `no receiver delivered anything within ${(FIRST_DELIVERY_TIMEOUT_MS + readyTimeout) / 1000} s ` +
          `(sender sent ${sender.latest?.sent ?? 0}) ${sender.proc.diagnostics()}`,
      );
    }
    await delay(opts.warmupSec * 1000);
    failIfExited(nodes);
    const a = receivers.map((r) => r.latest);
    const senderA = sender.latest;
    const cpuA = readCpuTimes();
    stopPerturbation = opts.perturb?.(receivers.map((r) => r.proc));
    await delay(opts.windowSec * 1000);
    stopPerturbation?.();
    stopPerturbation = undefined;
    const b = receivers.map((r) => r.latest);
    const senderB = sender.latest;
    const machineCpu = cpuShares(cpuA, readCpuTimes()) ?? null;
    failIfExited(nodes);

    // Stop sending; the final count arrives with the first progress line that says sendDone.
    sender.proc.signal('SIGUSR2');
    const stopAt = performance.now();
    await inTime(
      waitFor('the sender to stop', () => sender.latest?.sendDone === true || sender.proc.hasExited, {
        timeout: SEND_STOP_TIMEOUT_MS,
      }),
    );
    const finalSent = sender.latest?.sendDone ? sender.latest.sent : null;
    if (finalSent === null) {
      problems.push(
        `the sender did not finish sending within ${SEND_STOP_TIMEOUT_MS / 1000} s of SIGUSR2 ` +
          `(sent ${sender.latest?.sent ?? '?'}, holding ${sender.latest?.held ?? '?'} unacknowledged: ` +
          'a send() waiting for flow-control window space never completed)',
      );
    }

    const deltas = receivers.map((_, i) => delta(a[i], b[i]));
    const windowSec = meanOf(deltas.map((d) => d.sec)) ?? opts.windowSec;
    const rates = deltas.map((d) => perSec(d.delivered, d.sec) ?? 0);
    const slowest = Math.min(...rates);
    opts.progress(
      `engine, ${opts.receivers} receiver(s)${groups > 1 ? `, ${groups} groups` : ''}: ` +
        `${Math.round(slowest)} msgs/s at the slowest receiver over ${windowSec.toFixed(1)} s; ` +
        `waiting for all ${finalSent ?? '?'} messages`,
    );

    const target = finalSent ?? sender.latest?.sent ?? 0;
    const allDone = (): boolean => receivers.every((r) => (r.latest?.delivered ?? 0) >= target);
    const remaining = Math.max(0, ...receivers.map((r) => target - (r.latest?.delivered ?? 0)));
    const drainMs = Math.min(DRAIN_MAX_MS, (remaining / Math.max(slowest, 1)) * 1000 + DRAIN_SLACK_MS);
    const complete = await inTime(
      waitFor(
        'every receiver to deliver everything',
        () => allDone() || nodes.some((n) => n.proc.hasExited),
        {
          timeout: drainMs,
        },
      ),
    );
    const drainSec = complete && allDone() ? (performance.now() - stopAt) / 1000 : null;

    await Promise.all(nodes.map((n) => n.proc.stop(STOP_GRACE_MS)));
    const senderReport = await sender.readReport();
    const reports = await Promise.all(receivers.map((r) => r.readReport()));
    const sent = numberField(senderReport, 'sent');
    if (sent === null) problems.push('the sender report has no "sent" count');

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
      const d = deltas[i] as Delta;
      const msgs = rates[i] ?? 0;
      return {
        name: r.name,
        delivered,
        msgsPerSec: msgs,
        mbPerSec: (msgs * opts.size) / MB,
        tokenRttMs: tokenRttOf(report) ?? null,
        cpu: cores(d),
        cpuUsPerMsg: perMsg(d.cpuUs, d.delivered),
        latency: latencyOf(report),
        heapUsed: numberField(report, 'memory', 'heapUsed'),
        repairs: numberField(report, 'stats', 'repairsReceived'),
        report: compactReport(report),
      };
    });
    const sd = delta(senderA, senderB);
    const tokenRttMs = meanOf([...results.map((r) => r.tokenRttMs), tokenRttOf(senderReport) ?? null]);
    const msgRates = results.map((r) => r.msgsPerSec);
    const mbRates = results.map((r) => r.mbPerSec);
    return {
      method:
        `delivered counts from \`--progress\` lines over ${windowSec.toFixed(1)} s after ` +
        `${opts.warmupSec} s warm-up; sender ${opts.rate > 0 ? `paced at ${opts.rate}/s` : 'unpaced'}` +
        `${groups > 1 ? ` round-robin over ${groups} groups` : ''}, stopped by SIGUSR2 after ` +
        `${sent ?? '?'} messages` +
        (drainSec !== null ? `, all delivered ${drainSec.toFixed(1)} s after the stop` : ''),
      sent,
      windowSec,
      drainSec,
      senderMsgsPerSec: perSec(sd.sent, sd.sec),
      receivers: results,
      meanMsgsPerSec: meanOf(msgRates),
      minMsgsPerSec: minOf(msgRates),
      meanMBPerSec: meanOf(mbRates),
      minMBPerSec: minOf(mbRates),
      tokenRttMs,
      machineCpu,
      tokenRttNote:
        tokenRttMs !== null
          ? 'mean of stats.tokenRttMs.avg over the nodes that measured one'
          : 'no node reported a token round trip (stats.tokenRttMs.avg is 0)',
      senderCpu: cores(sd),
      senderCpuUsPerMsg: perMsg(sd.cpuUs, sd.sent),
      senderHeapUsed: numberField(senderReport, 'memory', 'heapUsed'),
      senderReport: compactReport(senderReport),
      problems,
    };
  } finally {
    stopPerturbation?.();
    await Promise.all([...nodes.map((n) => n.proc.stop(1000)), gms?.proc.stop(1000)]);
    await rm(dir, { recursive: true, force: true });
  }
}
