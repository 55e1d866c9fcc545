// Rate trials shared by the baselines (raw UDP multicast, NATS): one sender helper and N
// receiver helpers speaking the line protocol of bench/processes/control.ts. Rates come from
// counters the helpers report at the start and end of a window (`mark`), on their own clocks.
import path from 'node:path';
import { spawnTsx } from '../../testing/liveobjects';
import type { JsonMessage, ManagedProcess } from '../../testing/processes';
import { delay } from '../../testing/wait';
import { processCpuSeconds } from './machine-cpu';
import { meanOf } from './stats';

export interface TrialOptions {
  readonly warmupSec: number;
  readonly windowSec: number;
  /** Number of trials in the rate search (the first at `initialRate`). */
  readonly probes: number;
  /** A trial whose mean loss is at most this counts as sustained. */
  readonly lossTolerance: number;
  /** Rate of the first trial, msgs/s; 0 or absent = unpaced. */
  readonly initialRate?: number;
  readonly label: string;
  readonly progress: (message: string) => void;
}

export interface ReceiverWindow {
  readonly msgsPerSec: number;
  readonly mbPerSec: number;
  /** Fraction of the messages sent in the window that this receiver did not get. */
  readonly loss: number;
  /** CPU use over the window, in cores (1 = one core busy). */
  readonly cpu: number | null;
  /** One-way latency over the window (send stamp to receipt), when the helper measured it. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

export interface Trial {
  /** Paced rate in msgs/s, or "max" for as fast as the sender goes. */
  readonly rate: number | 'max';
  readonly sentPerSec: number;
  readonly senderCpu: number | null;
  readonly sendErrors: number;
  readonly receivers: readonly ReceiverWindow[];
  readonly meanMsgsPerSec: number;
  readonly minMsgsPerSec: number;
  readonly meanMBPerSec: number;
  readonly minMBPerSec: number;
  readonly meanLoss: number;
}

const MB = 2 ** 20;
const READY_TIMEOUT_MS = 20_000;
const MARK_TIMEOUT_MS = 10_000;

/** A helper of bench/processes/, run here or (`via`) on a simulated machine. */
export function tsxProcess(
  root: string,
  name: string,
  script: string,
  args: readonly string[],
  via: readonly string[] = [],
): ManagedProcess {
  const file = path.join(root, 'bench', 'processes', script);
  return spawnTsx(name, file, args, { input: true, via });
}

export function waitReady(procs: readonly ManagedProcess[]): Promise<JsonMessage[]> {
  return Promise.all(
    procs.map((p) => p.waitForJson((m) => m.type === 'ready', READY_TIMEOUT_MS, 'ready line')),
  );
}

function num(msg: JsonMessage, key: string): number {
  const v = msg[key];
  if (typeof v !== 'number') throw new Error(`helper reported no numeric '${key}': ${JSON.stringify(msg)}`);
  return v;
}

function optNum(value: unknown, key: string): number | null {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

interface Mark {
  readonly t: number;
  readonly msg: JsonMessage;
  readonly cpu: number | null;
}

let markSeq = 0;
async function mark(proc: ManagedProcess): Promise<Mark> {
  const id = ++markSeq;
  const cpu = processCpuSeconds(proc.pid);
  proc.send({ cmd: 'mark', id });
  const msg = await proc.waitForJson((m) => m.type === 'mark' && m.id === id, MARK_TIMEOUT_MS, 'mark reply');
  return { t: num(msg, 't'), msg, cpu };
}

function cpuCores(a: Mark, b: Mark): number | null {
  if (a.cpu === null || b.cpu === null) return null;
  return (b.cpu - a.cpu) / ((b.t - a.t) / 1000);
}

/** Next rate of the search: back off while receivers lose, probe upwards once they keep up. */
function nextRate(last: Trial, tolerance: number): number {
  const base = last.meanMsgsPerSec;
  return Math.max(1000, Math.round(last.meanLoss > tolerance ? base * 0.9 : base * 1.15));
}

/**
 * Runs up to `probes` trials: the first at `initialRate` (unpaced by default); if receivers lose
 * more than the tolerance, paced at 90% of what they received, and 15% higher after a lossless
 * trial. An unpaced lossless trial ends the search.
 */
export async function runTrials(
  sender: ManagedProcess,
  receivers: readonly ManagedProcess[],
  opts: TrialOptions,
): Promise<Trial[]> {
  const all = [...receivers, sender];
  const trials: Trial[] = [];
  let rate: number | 'max' = opts.initialRate ? opts.initialRate : 'max';
  for (let probe = 0; probe < Math.max(1, opts.probes); probe++) {
    sender.send({ cmd: 'rate', rate: rate === 'max' ? 0 : rate });
    await delay(opts.warmupSec * 1000);
    const start = await Promise.all(all.map(mark));
    await delay(opts.windowSec * 1000);
    const end = await Promise.all(all.map(mark));
    const trial = summarize(rate, start, end);
    trials.push(trial);
    opts.progress(
      `${opts.label}, ${receivers.length} receiver(s), rate ${rate === 'max' ? 'max' : Math.round(rate)}/s: ` +
        `sent ${Math.round(trial.sentPerSec)}/s, received mean ${Math.round(trial.meanMsgsPerSec)}/s ` +
        `min ${Math.round(trial.minMsgsPerSec)}/s, loss ${(trial.meanLoss * 100).toFixed(1)}%`,
    );
    if (rate === 'max' && trial.meanLoss <= opts.lossTolerance) break;
    rate = nextRate(trial, opts.lossTolerance);
  }
  sender.send({ cmd: 'rate', rate: null });
  return trials;
}

export function bestTrial(trials: readonly Trial[]): Trial {
  return trials.reduce((a, b) => (b.meanMsgsPerSec > a.meanMsgsPerSec ? b : a));
}

function summarize(rate: number | 'max', start: readonly Mark[], end: readonly Mark[]): Trial {
  const n = start.length - 1;
  const s0 = start[n] as Mark;
  const s1 = end[n] as Mark;
  const senderSec = (s1.t - s0.t) / 1000;
  const windows: ReceiverWindow[] = [];
  for (let i = 0; i < n; i++) {
    const a = start[i] as Mark;
    const b = end[i] as Mark;
    const sec = (b.t - a.t) / 1000;
    const msgs = num(b.msg, 'msgs') - num(a.msg, 'msgs');
    const bytes = num(b.msg, 'bytes') - num(a.msg, 'bytes');
    const expected = num(b.msg, 'maxSeq') - num(a.msg, 'maxSeq');
    windows.push({
      msgsPerSec: msgs / sec,
      mbPerSec: bytes / MB / sec,
      loss: expected > 0 ? Math.max(0, 1 - msgs / expected) : 0,
      cpu: cpuCores(a, b),
      p50Ms: optNum(b.msg.latency, 'p50Ms'),
      p99Ms: optNum(b.msg.latency, 'p99Ms'),
    });
  }
  const rates = windows.map((w) => w.msgsPerSec);
  const mbs = windows.map((w) => w.mbPerSec);
  return {
    rate,
    sentPerSec: (num(s1.msg, 'sent') - num(s0.msg, 'sent')) / senderSec,
    senderCpu: cpuCores(s0, s1),
    sendErrors: num(s1.msg, 'errors') - num(s0.msg, 'errors'),
    receivers: windows,
    meanMsgsPerSec: meanOf(rates) ?? 0,
    minMsgsPerSec: Math.min(...rates),
    meanMBPerSec: meanOf(mbs) ?? 0,
    minMBPerSec: Math.min(...mbs),
    meanLoss: meanOf(windows.map((w) => w.loss)) ?? 0,
  };
}
