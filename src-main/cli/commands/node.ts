// `liveobjects node`: a headless QSM node for tests and benchmarks. Payloads carry a message
// index so receivers check per-sender FIFO and exactly-once; --report writes JSON at exit.

import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import {
  DEFAULT_HEAP_HEADROOM_BYTES,
  DEFAULTS,
  processHeapHeadroom,
  startNode,
  type HandlerErrorHook,
  type StartedNode,
  type StartNodeOptions,
} from '../../engine';
import { errorText } from '../../../src-shared/util/error-text';
import { DeliveryCheck, indexOf, writePayload } from '../../engine/testing/harness';
import { defineCommand } from '../command';
import { defineOptions } from '../../args/options';
import {
  bytes,
  hostPort,
  list,
  nonNegative,
  number,
  positiveInteger,
  ValueError,
} from '../../args/converters';
import type { Parsed } from '../../args/options';
import { readWorkspaceOption, workspaceOption } from '../workspace-option';

const options = defineOptions({
  gms: {
    type: 'string',
    placeholder: 'HOST:PORT',
    parse: hostPort,
    required: true,
    description: 'membership service',
  },
  join: { type: 'string', placeholder: 'G1,G2', parse: list, description: 'groups to join' },
  to: { type: 'string', placeholder: 'GROUP', description: 'group to send to (joined too)' },
  send: {
    type: 'string',
    placeholder: 'RATE',
    parse: nonNegative,
    default: '0',
    description: 'messages per second; 0 = as fast as flow control allows',
  },
  count: {
    type: 'string',
    placeholder: 'N',
    parse: nonNegative,
    defaultText: 'until --duration or SIGUSR2',
    description: 'messages to send; the node stays up after the last one until SIGTERM/SIGINT/--duration',
  },
  size: {
    type: 'string',
    placeholder: 'BYTES',
    parse: bytes,
    default: '100',
    description: 'payload size, at least 4, 12 with --latency',
  },
  'wait-members': {
    type: 'string',
    placeholder: 'N',
    parse: nonNegative,
    description: 'start sending once the --to group has N members',
  },
  duration: {
    type: 'string',
    placeholder: 'SEC',
    parse: nonNegative,
    defaultText: 'run until SIGTERM/SIGINT',
    description: 'exit after this long',
  },
  report: {
    type: 'string',
    placeholder: 'FILE',
    description: 'write stats and a delivery check as JSON at exit',
  },
  progress: {
    type: 'string',
    placeholder: 'MS',
    parse: nonNegative,
    defaultText: 'never',
    description: 'print a JSON progress line this often',
  },
  bind: { type: 'string', placeholder: 'HOST', defaultText: '127.0.0.1', description: 'unicast address' },
  iface: {
    type: 'string',
    placeholder: 'ADDR',
    defaultText: DEFAULTS.iface,
    description: 'multicast interface',
  },
  fanout: {
    type: 'boolean',
    description: 'unicast copy per member instead of IP multicast, for every region (else chosen per region)',
  },
  mtu: {
    type: 'string',
    placeholder: 'BYTES',
    parse: number({ min: 576, integer: true }),
    defaultText: String(DEFAULTS.mtu),
    description: "the interface's MTU: off loopback no datagram is larger than MTU − 28",
  },
  'probe-ms': {
    type: 'string',
    placeholder: 'N',
    parse: nonNegative,
    defaultText: String(DEFAULTS.probeIntervalMs),
    description: 'multicast probe interval: a region whose members miss 3 goes to unicast fan-out; 0 = off',
  },
  'token-ms': {
    type: 'string',
    placeholder: 'N',
    parse: nonNegative,
    defaultText: String(DEFAULTS.tokenIntervalMs),
    description: 'token interval ΔT in ms',
  },
  'token-busy-ms': {
    type: 'string',
    placeholder: 'N',
    parse: nonNegative,
    defaultText: String(DEFAULTS.tokenBusyIntervalMs),
    description: 'under load, the next round this soon; ≥ ΔT: a fixed rate',
  },
  'stability-ms': {
    type: 'string',
    placeholder: 'N',
    parse: nonNegative,
    defaultText: String(DEFAULTS.stabilityTimeoutMs),
    description:
      'a member that holds back stability this long while others progress is reported and excluded; 0 = never',
  },
  'partition-size': {
    type: 'string',
    placeholder: 'K',
    parse: positiveInteger,
    defaultText: String(DEFAULTS.partitionSize),
    description: 'partition size',
  },
  'window-bytes': {
    type: 'string',
    placeholder: 'BYTES',
    parse: bytes,
    defaultText: `${DEFAULTS.windowBytes / 2 ** 20}MiB`,
    description: 'sender flow-control window',
  },
  'packet-bytes': {
    type: 'string',
    placeholder: 'BYTES',
    parse: bytes,
    defaultText: '32KiB on loopback, else MTU − 28',
    description: 'pack data datagrams up to this size (and, set, no datagram is larger)',
  },
  loss: {
    type: 'string',
    placeholder: 'P',
    parse: number({ min: 0, max: 1 }),
    description: 'drop this fraction of inbound datagrams (fault injection)',
  },
  burst: {
    type: 'string',
    placeholder: 'EVERY:LEN',
    parse: burst,
    description: 'drop all input for LEN ms every EVERY ms, e.g. 1000:10 (fault injection)',
  },
  'multicast-loss': {
    type: 'string',
    placeholder: 'P',
    parse: number({ min: 0, max: 1 }),
    description:
      'drop this fraction of datagrams arriving by IP multicast; 1 = a network that drops multicast (fault injection)',
  },
  'group-count': {
    type: 'string',
    placeholder: 'N',
    parse: positiveInteger,
    default: '1',
    description:
      'expand every --join/--to name G into G-0 … G-(N-1); the sender sends round-robin over its expanded --to groups',
  },
  latency: {
    type: 'boolean',
    description:
      'the sender stamps each payload with its wall-clock send time (performance.timeOrigin + performance.now(), float64 after the index); receivers report end-to-end latency',
  },
  'latency-skip': {
    type: 'string',
    placeholder: 'N',
    parse: nonNegative,
    default: '0',
    description: 'receivers ignore latency samples of stream indices below N, the warm-up',
  },
  ...workspaceOption,
});

/** Options passed to the engine as they are, by tunable name. */
const TUNABLE_OPTIONS = {
  bind: 'host',
  iface: 'iface',
  'token-ms': 'tokenIntervalMs',
  'token-busy-ms': 'tokenBusyIntervalMs',
  'partition-size': 'partitionSize',
  'window-bytes': 'windowBytes',
  'packet-bytes': 'packetBytes',
  mtu: 'mtu',
  'probe-ms': 'probeIntervalMs',
  'stability-ms': 'stabilityTimeoutMs',
} as const satisfies Partial<Record<keyof typeof options, keyof StartNodeOptions>>;

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

function burst(text: string): { everyMs: number; lengthMs: number } {
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new ValueError('EVERY:LEN in ms, e.g. 1000:10');
  return { everyMs: Number(match[1]), lengthMs: Number(match[2]) };
}

function readNodeArgs({ values: v }: Parsed<typeof options>, cwd: string): Args {
  let join = v.join ?? [];
  if (v.to !== undefined && !join.includes(v.to)) join = [...join, v.to];
  const groupCount = v['group-count'];
  if (groupCount > 1) join = join.flatMap((g) => expandGroup(g, groupCount));
  const tun: Record<string, unknown> = {};
  for (const [option, tunable] of Object.entries(TUNABLE_OPTIONS)) {
    const value = v[option as keyof typeof TUNABLE_OPTIONS];
    if (value !== undefined) tun[tunable] = value;
  }
  if (v.fanout) tun.fanout = true;
  const packetKey = readWorkspaceOption(v.workspace, cwd, [
    { option: '--gms', host: v.gms.host },
    { option: '--bind', host: v.bind ?? '127.0.0.1' },
    ...(v.iface !== undefined ? [{ option: '--iface', host: v.iface }] : []),
  ]);
  if (packetKey) tun.packetKey = packetKey;
  const faults = {
    ...(v.loss !== undefined && { loss: v.loss }),
    ...(v.burst !== undefined && { burstEveryMs: v.burst.everyMs, burstMs: v.burst.lengthMs }),
    ...(v['multicast-loss'] !== undefined && { multicastLoss: v['multicast-loss'] }),
  };
  if (Object.keys(faults).length > 0) tun.faults = faults;
  const size = Math.max(4, v.size);
  return {
    gms: v.gms,
    join,
    ...(v.to !== undefined && { to: v.to }),
    rate: v.send,
    count: v.count ?? Infinity,
    size: v.latency && v.to !== undefined ? Math.max(LATENCY_BYTES, size) : size,
    waitMembers: v['wait-members'] ?? 0,
    duration: v.duration ?? 0,
    ...(v.report !== undefined && { report: v.report }),
    progress: v.progress ?? 0,
    groupCount,
    latency: v.latency,
    latencySkip: v['latency-skip'],
    tun: tun as Args['tun'],
  };
}

async function run(args: Args): Promise<number> {
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
  node.onStall((r) =>
    console.error(
      `liveobjects node: ${r.member} holds back stability in region ${r.region} (groups ${r.groups.join(',')}): ${r.reason}; asked the GMS to exclude it`,
    ),
  );
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
              authFailures: s.authFailures,
              replays: s.replays,
              cached: s.cachedMessages,
              // (capped so that a node in thousands of groups prints short lines)
              members: node.view?.groups.slice(0, 64).map((g) => [g.group, g.members.length]),
              regions: s.regions.slice(0, 64).map((r) => [r.region, r.transport]),
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

export const command = defineCommand({
  name: 'node',
  summary: 'run a headless QSM node (tests, benchmarks)',
  synopsis: '--gms HOST:PORT [options]',
  about:
    'Runs a headless QSM node. Off loopback it needs --workspace (an invitation file or a joined ' +
    'home): its datagrams and membership frames are authenticated under the workspace key.',
  options,
  notes:
    'Signals: SIGUSR2 stops sending (the node stays up); SIGTERM/SIGINT write the report and exit. ' +
    "Progress lines and the report carry CPU time (process.cpuUsage) and heap figures; the report's " +
    'memory is measured after a full GC when Node runs with --expose-gc.',
  read: readNodeArgs,
  run,
});

/** argv → the node's arguments, or UsageError. */
export const parseNodeArgs = (argv: readonly string[], cwd?: string): Args => command.parse(argv, cwd);
