// The physical baseline: raw UDP IP multicast on loopback between processes, with no protocol.
// One sender process, N receiver processes; rates are measured over a fixed window after a
// warm-up, from counters the receivers report at the window's start and end.
import path from 'node:path';
import { BenchProcess, sleep } from './proc';
import type { JsonMessage } from './proc';

export interface RawOptions {
  readonly root: string;
  readonly receivers: number;
  readonly size: number;
  readonly warmupSec: number;
  readonly windowSec: number;
  /** Number of trials in the rate search (first one unpaced). */
  readonly probes: number;
  /** A trial whose mean loss is at most this counts as sustained. */
  readonly lossTolerance: number;
  readonly progress: (message: string) => void;
}

export interface ReceiverWindow {
  readonly msgsPerSec: number;
  readonly mbPerSec: number;
  /** Fraction of the datagrams sent in the window that this receiver did not get. */
  readonly loss: number;
  /** CPU use over the window, in cores (1 = one core busy). */
  readonly cpu: number | null;
}

export interface RawTrial {
  /** Paced rate in datagrams/s, or "max" for as fast as the socket accepts. */
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

export interface RawResult {
  readonly receivers: number;
  readonly group: string;
  readonly port: number;
  readonly rcvbufBytes: number | null;
  readonly trials: readonly RawTrial[];
  /** The trial with the highest mean received rate. */
  readonly best: RawTrial;
}

const MB = 2 ** 20;
const READY_TIMEOUT_MS = 20_000;
const MARK_TIMEOUT_MS = 10_000;

function tsxProcess(root: string, name: string, script: string, args: readonly string[]): BenchProcess {
  const file = path.join(root, 'bench', 'processes', script);
  return new BenchProcess(name, process.execPath, ['--import', 'tsx', file, ...args], root);
}

function num(msg: JsonMessage, key: string): number {
  const v = msg[key];
  if (typeof v !== 'number') throw new Error(`helper reported no numeric '${key}': ${JSON.stringify(msg)}`);
  return v;
}

interface Mark {
  readonly t: number;
  readonly msg: JsonMessage;
  readonly cpu: number | null;
}

let markSeq = 0;
async function mark(proc: BenchProcess): Promise<Mark> {
  const id = ++markSeq;
  const cpu = proc.cpuSeconds();
  proc.send({ cmd: 'mark', id });
  const msg = await proc.waitFor((m) => m.type === 'mark' && m.id === id, MARK_TIMEOUT_MS, 'mark reply');
  return { t: num(msg, 't'), msg, cpu };
}

function cpuCores(a: Mark, b: Mark): number | null {
  if (a.cpu === null || b.cpu === null) return null;
  return (b.cpu - a.cpu) / ((b.t - a.t) / 1000);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/** Next rate of the search: back off while receivers lose, probe upwards once they keep up. */
function nextRate(last: RawTrial, tolerance: number): number {
  const base = last.meanMsgsPerSec;
  return Math.max(1000, Math.round(last.meanLoss > tolerance ? base * 0.9 : base * 1.15));
}

export async function measureRawMulticast(opts: RawOptions): Promise<RawResult> {
  // A fresh group and port per run, away from the engine's ranges and earlier runs.
  const group = `239.255.${100 + Math.floor(Math.random() * 100)}.${1 + Math.floor(Math.random() * 250)}`;
  const port = 42000 + Math.floor(Math.random() * 8000);
  const common = ['--group', group, '--port', String(port), '--iface', '127.0.0.1'];
  const receivers = Array.from({ length: opts.receivers }, (_, i) =>
    tsxProcess(opts.root, `udp-receiver#${i + 1}`, 'udp-receiver.ts', common),
  );
  const sender = tsxProcess(opts.root, 'udp-sender', 'udp-sender.ts', [
    ...common,
    '--size',
    String(opts.size),
  ]);
  const all = [...receivers, sender];
  try {
    const readies = await Promise.all(
      all.map((p) => p.waitFor((m) => m.type === 'ready', READY_TIMEOUT_MS, 'ready line')),
    );
    const rcvbuf = readies[0]?.rcvbuf;
    const trials: RawTrial[] = [];
    let rate: number | 'max' = 'max';
    for (let probe = 0; probe < Math.max(1, opts.probes); probe++) {
      sender.send({ cmd: 'rate', rate: rate === 'max' ? 0 : rate });
      await sleep(opts.warmupSec * 1000);
      const start = await Promise.all(all.map(mark));
      await sleep(opts.windowSec * 1000);
      const end = await Promise.all(all.map(mark));
      const trial = summarize(rate, start, end);
      trials.push(trial);
      opts.progress(
        `raw UDP, ${opts.receivers} receiver(s), rate ${rate === 'max' ? 'max' : Math.round(rate)}/s: ` +
          `sent ${Math.round(trial.sentPerSec)}/s, received mean ${Math.round(trial.meanMsgsPerSec)}/s ` +
          `min ${Math.round(trial.minMsgsPerSec)}/s, loss ${(trial.meanLoss * 100).toFixed(1)}%`,
      );
      // Unpaced and lossless: the receivers keep up with the fastest sender, nothing to search.
      if (rate === 'max' && trial.meanLoss <= opts.lossTolerance) break;
      rate = nextRate(trial, opts.lossTolerance);
    }
    sender.send({ cmd: 'rate', rate: null });
    const best = trials.reduce((a, b) => (b.meanMsgsPerSec > a.meanMsgsPerSec ? b : a));
    return {
      receivers: opts.receivers,
      group,
      port,
      rcvbufBytes: typeof rcvbuf === 'number' ? rcvbuf : null,
      trials,
      best,
    };
  } finally {
    await Promise.all(all.map((p) => p.stop()));
  }
}

function summarize(rate: number | 'max', start: readonly Mark[], end: readonly Mark[]): RawTrial {
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
    meanMsgsPerSec: mean(rates),
    minMsgsPerSec: Math.min(...rates),
    meanMBPerSec: mean(mbs),
    minMBPerSec: Math.min(...mbs),
    meanLoss: mean(windows.map((w) => w.loss)),
  };
}
