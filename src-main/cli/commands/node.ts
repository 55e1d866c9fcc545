// `liveobjects node`: a headless QSM node for tests and benchmarks. Payloads carry a message
// index so receivers check per-sender FIFO and exactly-once; --report writes JSON at exit.

import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import {
  DEFAULT_HEAP_HEADROOM_BYTES,
  processHeapHeadroom,
  startNode,
  type HandlerErrorHook,
  type StartedNode,
  type StartNodeOptions,
} from '../../engine';
import { errorText } from '../../../src-shared/util/error-text';
import { DeliveryCheck, indexOf, writePayload } from '../../engine/testing/harness';
import type { Command } from '../main';

const usage = `Usage: liveobjects node --gms HOST:PORT [options]

Runs a headless QSM node.

Options:
  --gms HOST:PORT         membership service (required)
  --join G1,G2            groups to join
  --to GROUP              group to send to (must be joined)
  --send RATE             messages per second (0 = as fast as flow control allows)
  --count N               messages to send (default: until --duration or SIGUSR2); the node
                          stays up after the last one until SIGTERM/SIGINT/--duration
  --size BYTES            payload size (default 100, at least 4)
  --wait-members N        start sending once the --to group has N members
  --duration SEC          exit after this long (default: run until SIGTERM/SIGINT)
  --report FILE           write stats and a delivery check as JSON at exit
  --progress MS           print a JSON progress line this often (default 0 = never)
  --bind HOST             unicast address (default 127.0.0.1)
  --iface ADDR            multicast interface (default 127.0.0.1)
  --fanout                unicast copy per member instead of IP multicast
  --token-ms N            token interval ΔT in ms (default 200)
  --token-busy-ms N       under load, the next round this soon (default 25; ≥ ΔT: fixed rate)
  --partition-size K      partition size (default 5)
  --window-bytes N        sender flow-control window (default 32 MiB)
  --packet-bytes N        pack data datagrams up to N bytes (default 32 KiB on loopback, else 1400)
  --loss P                drop this fraction of inbound datagrams (fault injection)
  --burst EVERY:LEN       drop all input for LEN ms every EVERY ms (fault injection)
  --fault-burst LEN/EVERY the same, written as e.g. 10/1000
  --group-count N         expand every --join/--to name G into G-0 … G-(N-1); the sender
                          sends round-robin over its expanded --to groups
  --latency               the sender stamps each payload with its wall-clock send time
                          (performance.timeOrigin + performance.now(), float64 after the
                          index; --size at least 12); receivers report end-to-end latency
  --latency-skip N        receivers ignore latency samples of stream indices below N (warm-up)

Signals: SIGUSR2 stops sending (the node stays up); SIGTERM/SIGINT write the report and exit.
Progress lines and the report carry CPU time (process.cpuUsage) and heap figures; the report's
memory is measured after a full GC when Node runs with --expose-gc.`;

class UsageError extends Error {}

/** Index (u32) + send time (float64 ms): the payload prefix when --latency is on. */
const LATENCY_BYTES = 12;
/** burst()'s answer when the sender takes no more for now (its flow-control window, or its
 * bound on what it has not transmitted yet). */
const BLOCKED = -1;
/** Latency samples kept per node (beyond it, later samples are not recorded). */
const LATENCY_MAX_SAMPLES = 4_000_000;

function expandGroup(group: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${group}-${i}`);
}

/** Read once: the getter builds a new number per call (garbage per stamped message). */
const timeOrigin = performance.timeOrigin;
const wallClockMs = (): number => timeOrigin + performance.now();

/** End-to-end latency samples; percentiles at report time. */
class LatencyRecorder {
  private samples = new Float64Array(1024);
  private n = 0;
  private readonly stampBytes = new Uint8Array(8);
  private readonly stamp = new DataView(this.stampBytes.buffer);
  skipped = 0;

  constructor(private readonly skipBelow: number) {}

  /** Records the latency of `data`, a stamped payload with stream index `index`. */
  take(data: Uint8Array, index: number): void {
    if (data.length < LATENCY_BYTES) return;
    // Copied out bytewise: no DataView per delivered message.
    for (let i = 0; i < 8; i++) this.stampBytes[i] = data[4 + i]!;
    const latency = wallClockMs() - this.stamp.getFloat64(0);
    if (index < this.skipBelow) this.skipped++;
    else if (this.n < LATENCY_MAX_SAMPLES) {
      if (this.n === this.samples.length) {
        const bigger = new Float64Array(this.samples.length * 2);
        bigger.set(this.samples);
        this.samples = bigger;
      }
      this.samples[this.n++] = latency;
    }
  }

  summary(): Record<string, number | string> {
    const sorted = this.samples.slice(0, this.n).sort();
    const at = (q: number): number => sorted[Math.min(this.n - 1, Math.floor(q * this.n))] ?? 0;
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      method: 'receive wall clock − send stamp, both performance.timeOrigin + performance.now()',
      samples: this.n,
      skipped: this.skipped,
      meanMs: this.n ? sum / this.n : 0,
      p50Ms: at(0.5),
      p90Ms: at(0.9),
      p99Ms: at(0.99),
      maxMs: this.n ? (sorted[this.n - 1] ?? 0) : 0,
    };
  }
}

/** Handler errors printed to stderr; the report counts them all (stats.handlerErrors). */
const PRINTED_HANDLER_ERRORS = 10;

/** Prints the first handler errors: a delivery check that throws is a bug in this command,
 * and one line per message would drown the output. */
function printHandlerErrors(): HandlerErrorHook {
  let printed = 0;
  return (error, where) => {
    if (printed >= PRINTED_HANDLER_ERRORS) return;
    printed++;
    const what =
      where.handler === 'message'
        ? `a handler of group ${where.group} (message from ${where.sender})`
        : 'a view handler';
    const more = printed === PRINTED_HANDLER_ERRORS ? '; further ones are only counted' : '';
    console.error(`liveobjects node: ${what} threw: ${errorText(error)}${more}`);
  };
}

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Memory at this moment; after a full GC when Node exposes gc (--expose-gc). */
function memory(peak: { heapUsed: number; rss: number }): Record<string, number | boolean> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  const m = process.memoryUsage();
  const h = getHeapStatistics();
  return {
    afterGc: gc !== undefined,
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    peakHeapUsed: Math.max(peak.heapUsed, m.heapUsed),
    peakRss: Math.max(peak.rss, m.rss),
    v8UsedHeapSize: h.used_heap_size,
    v8TotalHeapSize: h.total_heap_size,
    v8HeapSizeLimit: h.heap_size_limit,
  };
}

interface Args {
  gms: { host: string; port: number };
  join: string[];
  to?: string;
  rate: number;
  count: number;
  size: number;
  waitMembers: number;
  duration: number;
  report?: string;
  progress: number;
  groupCount: number;
  latency: boolean;
  latencySkip: number;
  tun: Partial<StartNodeOptions> & { host?: string };
}

function num(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} expects a non-negative number, got '${v}'`);
  return n;
}

export function parseNodeArgs(argv: readonly string[]): Args {
  const a: Args = {
    gms: { host: '', port: 0 },
    join: [],
    rate: 0,
    count: Infinity,
    size: 100,
    waitMembers: 0,
    duration: 0,
    progress: 0,
    groupCount: 1,
    latency: false,
    latencySkip: 0,
    tun: {},
  };
  let gms = '';
  const faults: { loss?: number; burstEveryMs?: number; burstMs?: number } = {};
  const tun: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!;
    if (name === '--fanout') {
      tun.fanout = true;
      continue;
    }
    if (name === '--latency') {
      a.latency = true;
      continue;
    }
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    switch (name) {
      case '--gms':
        gms = v;
        break;
      case '--join':
        a.join = v.split(',').filter(Boolean);
        break;
      case '--to':
        a.to = v;
        break;
      case '--send':
        a.rate = num(name, v);
        break;
      case '--count':
        a.count = num(name, v);
        break;
      case '--size':
        a.size = Math.max(4, num(name, v));
        break;
      case '--wait-members':
        a.waitMembers = num(name, v);
        break;
      case '--duration':
        a.duration = num(name, v);
        break;
      case '--report':
        a.report = v;
        break;
      case '--progress':
        a.progress = num(name, v);
        break;
      case '--bind':
        tun.host = v;
        break;
      case '--iface':
        tun.iface = v;
        break;
      case '--token-ms':
        tun.tokenIntervalMs = num(name, v);
        break;
      case '--token-busy-ms':
        tun.tokenBusyIntervalMs = num(name, v);
        break;
      case '--partition-size':
        tun.partitionSize = Math.max(1, num(name, v));
        break;
      case '--window-bytes':
        tun.windowBytes = num(name, v);
        break;
      case '--packet-bytes':
        tun.packetBytes = num(name, v);
        break;
      case '--loss':
        faults.loss = num(name, v);
        break;
      case '--burst': {
        const m = /^(\d+):(\d+)$/.exec(v);
        if (!m) throw new UsageError(`--burst expects EVERY:LEN, got '${v}'`);
        faults.burstEveryMs = Number(m[1]);
        faults.burstMs = Number(m[2]);
        break;
      }
      case '--fault-burst': {
        const m = /^(\d+)\/(\d+)$/.exec(v);
        if (!m) throw new UsageError(`--fault-burst expects LEN/EVERY (ms), got '${v}'`);
        faults.burstMs = Number(m[1]);
        faults.burstEveryMs = Number(m[2]);
        break;
      }
      case '--group-count':
        a.groupCount = Math.max(1, Math.floor(num(name, v)));
        break;
      case '--latency-skip':
        a.latencySkip = num(name, v);
        break;
      default:
        throw new UsageError(`unknown option '${name}'`);
    }
  }
  const m = /^([^:]+):(\d+)$/.exec(gms);
  if (!m) throw new UsageError('--gms HOST:PORT is required');
  a.gms = { host: m[1]!, port: Number(m[2]) };
  if (a.to && !a.join.includes(a.to)) a.join.push(a.to);
  if (a.groupCount > 1) a.join = a.join.flatMap((g) => expandGroup(g, a.groupCount));
  if (a.latency && a.to && a.size < LATENCY_BYTES) a.size = LATENCY_BYTES;
  if (Object.keys(faults).length > 0) tun.faults = faults;
  a.tun = tun as Args['tun'];
  return a;
}

async function run(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseNodeArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`liveobjects node: ${e.message}\n\n${usage}`);
      return 2;
    }
    throw e;
  }
  const check = new DeliveryCheck(false);
  const cpuAtStart = cpuUs();
  // This process runs one engine node and nothing else, and benchmarks run through it: at
  // full rate its datagrams would make V8 mark-compact every few tens of ms with the small
  // heap a node has (engine/util/heap-headroom.ts), so it holds room in the heap limit.
  // A --heap-growing-percent given to node wins.
  const releaseHeadroom = processHeapHeadroom.hold(DEFAULT_HEAP_HEADROOM_BYTES);
  let started: StartedNode;
  try {
    started = await startNode({ gms: args.gms, join: args.join, ...args.tun, onError: printHandlerErrors() });
  } catch (e) {
    releaseHeadroom();
    console.error(`liveobjects node: ${(e as Error).message}`);
    return 1;
  }
  const { node } = started;
  const latency = args.latency ? new LatencyRecorder(args.latencySkip) : undefined;
  // One handler per group: no lookup by group name per message (--group-count 10000).
  for (const group of args.join) {
    const add = check.forGroup(group);
    node.onGroupMessage(
      group,
      latency
        ? (s, d) => {
            // Own messages (delivered locally) are not end-to-end samples.
            if (s !== node.id) latency.take(d, indexOf(d));
            // The stamp overwrote filler bytes 4..11: check the filler after it (no copy per message).
            add(s, d, LATENCY_BYTES);
          }
        : add,
    );
  }
  const toGroups = args.to ? (args.groupCount > 1 ? expandGroup(args.to, args.groupCount) : [args.to]) : [];
  let sent = 0;
  let sendDone = toGroups.length === 0;
  let sendStoppedBy: 'count' | 'signal' | 'exit' | undefined;
  let sendStartedAt: number | undefined;
  let sendEndedAt: number | undefined;
  let stopSending = false;
  let stopping = false;
  const peak = { heapUsed: 0, rss: 0 };
  const t0 = performance.now();

  const report = (): void => {
    const body = {
      id: node.id,
      elapsedMs: Math.round(performance.now() - t0),
      sent,
      sendDone,
      sendStoppedBy,
      sendMs: sendStartedAt !== undefined ? (sendEndedAt ?? performance.now()) - sendStartedAt : 0,
      groups: args.join.length,
      stats: node.stats(),
      delivery: check.summary(),
      cpu: { ...process.cpuUsage(), sinceStartUs: cpuUs() - cpuAtStart },
      memory: memory(peak),
      ...(latency ? { latency: latency.summary() } : {}),
    };
    if (args.report) writeFileSync(args.report, JSON.stringify(body, null, 2));
  };

  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    finish();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Stop sending but stay alive: the harness reads `sent` and waits for receivers to catch up.
  process.on('SIGUSR2', () => (stopSending = true));
  // "ready" only now: whoever reads it may signal at once.
  console.log(JSON.stringify({ t: 'ready', id: node.id, groups: args.join.length }));
  if (args.duration > 0) setTimeout(stop, args.duration * 1000).unref();
  const progress =
    args.progress > 0
      ? setInterval(() => {
          const s = node.stats();
          const m = process.memoryUsage();
          peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
          peak.rss = Math.max(peak.rss, m.rss);
          console.log(
            JSON.stringify({
              t: 'progress',
              sent,
              sendDone,
              delivered: s.messagesDelivered,
              held: s.senderHeldMessages,
              cached: s.cachedMessages,
              // (capped so that a node in thousands of groups prints short lines)
              members: node.view?.groups.slice(0, 64).map((g) => [g.group, g.members.length]),
              cpuUs: cpuUs(),
              heapUsed: m.heapUsed,
              rss: m.rss,
              wallMs: wallClockMs(),
            }),
          );
        }, args.progress)
      : undefined;

  const need = Math.max(1, args.waitMembers);
  const allHaveMembers = (): boolean => {
    const sizes = new Map(node.view?.groups.map((g) => [g.group, g.members.length]));
    return toGroups.every((g) => (sizes.get(g) ?? 0) >= need);
  };
  const sendLoop = async (): Promise<void> => {
    if (toGroups.length === 0) return;
    while (!stopping && !stopSending && !allHaveMembers()) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const start = performance.now();
    sendStartedAt = start;
    const n = toGroups.length;
    const handles = toGroups.map((g) => node.group(g));
    // One buffer for every payload: the engine copies it when it accepts the message.
    const data = new Uint8Array(args.size);
    const stamp = new DataView(data.buffer);
    const { rate, count } = args;
    // Sends synchronously while messages are due and the sender has room: no await (and no
    // garbage) per message. Returns how long until the next one is due, or BLOCKED when the
    // sender has no room, with message `sent` written (and stamped) but not accepted yet.
    const burst = (): number => {
      while (sent < count && !stopping && !stopSending) {
        if (rate > 0) {
          const wait = start + (sent * 1000) / rate - performance.now();
          if (wait > 1) return wait;
        }
        // Round-robin over the groups; each (group, sender) stream has consecutive indices.
        writePayload(data, Math.floor(sent / n));
        if (args.latency) stamp.setFloat64(4, wallClockMs());
        if (!handles[sent % n]!.trySend(data)) return BLOCKED;
        sent++;
      }
      return 0;
    };
    for (;;) {
      const wait = burst();
      if (wait === BLOCKED) {
        // Wait (yielding to the event loop) for room; the stamp counts the wait.
        await handles[sent % n]!.send(data);
        sent++;
      } else if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else break;
    }
    sendStoppedBy = stopSending ? 'signal' : stopping ? 'exit' : 'count';
    sendEndedAt = performance.now();
    sendDone = true;
  };
  sendLoop().catch(() => {});
  await done;
  if (progress) clearInterval(progress);
  report();
  await started.close();
  releaseHeadroom();
  return 0;
}

export const command: Command = {
  summary: 'run a headless QSM node (tests, benchmarks)',
  usage,
  run,
};
