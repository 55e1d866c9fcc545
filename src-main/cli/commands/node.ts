// `liveobjects node`: a headless QSM node for tests and benchmarks. Payloads carry a message
// index so receivers check per-sender FIFO and exactly-once; --report writes JSON at exit.

import { writeFileSync } from 'node:fs';
import { startNode, type StartedNode, type StartNodeOptions } from '../../engine';
import { DeliveryCheck, payload } from '../../engine/testing/harness';
import type { Command } from '../main';

const usage = `Usage: liveobjects node --gms HOST:PORT [options]

Runs a headless QSM node.

Options:
  --gms HOST:PORT         membership service (required)
  --join G1,G2            groups to join
  --to GROUP              group to send to (must be joined)
  --send RATE             messages per second (0 = as fast as flow control allows)
  --count N               messages to send (default: until --duration)
  --size BYTES            payload size (default 100, at least 4)
  --wait-members N        start sending once the --to group has N members
  --duration SEC          exit after this long (default: run until SIGTERM/SIGINT)
  --report FILE           write stats and a delivery check as JSON at exit
  --progress MS           print a JSON progress line this often (default 0 = never)
  --bind HOST             unicast address (default 127.0.0.1)
  --iface ADDR            multicast interface (default 127.0.0.1)
  --fanout                unicast copy per member instead of IP multicast
  --token-ms N            token interval ΔT (default 250)
  --partition-size K      partition size (default 5)
  --window-bytes N        sender flow-control window (default 4 MiB)
  --loss P                drop this fraction of inbound datagrams (fault injection)
  --burst EVERY:LEN       drop all input for LEN ms every EVERY ms (fault injection)`;

class UsageError extends Error {}

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
      case '--partition-size':
        tun.partitionSize = Math.max(1, num(name, v));
        break;
      case '--window-bytes':
        tun.windowBytes = num(name, v);
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
      default:
        throw new UsageError(`unknown option '${name}'`);
    }
  }
  const m = /^([^:]+):(\d+)$/.exec(gms);
  if (!m) throw new UsageError('--gms HOST:PORT is required');
  a.gms = { host: m[1]!, port: Number(m[2]) };
  if (a.to && !a.join.includes(a.to)) a.join.push(a.to);
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
  let started: StartedNode;
  try {
    started = await startNode({ gms: args.gms, join: args.join, ...args.tun });
  } catch (e) {
    console.error(`liveobjects node: ${(e as Error).message}`);
    return 1;
  }
  const { node } = started;
  node.onMessage((g, s, d) => check.add(g, s, d));
  let sent = 0;
  let sendDone = !args.to;
  let stopping = false;
  const t0 = performance.now();
  console.log(JSON.stringify({ t: 'ready', id: node.id }));

  const report = (): void => {
    const body = {
      id: node.id,
      elapsedMs: Math.round(performance.now() - t0),
      sent,
      sendDone,
      stats: node.stats(),
      delivery: check.summary(),
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
  if (args.duration > 0) setTimeout(stop, args.duration * 1000).unref();
  const progress =
    args.progress > 0
      ? setInterval(() => {
          const s = node.stats();
          console.log(
            JSON.stringify({
              t: 'progress',
              sent,
              sendDone,
              delivered: s.messagesDelivered,
              held: s.senderHeldMessages,
              cached: s.cachedMessages,
              members: node.view?.groups.map((g) => [g.group, g.members.length]),
            }),
          );
        }, args.progress)
      : undefined;

  const sendLoop = async (): Promise<void> => {
    const to = args.to;
    if (!to) return;
    while (
      !stopping &&
      (node.view?.groups.find((g) => g.group === to)?.members.length ?? 0) < Math.max(1, args.waitMembers)
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const start = performance.now();
    for (let i = 0; i < args.count && !stopping; i++) {
      await node.send(to, payload(i, args.size));
      sent++;
      if (args.rate > 0) {
        const due = start + ((i + 1) * 1000) / args.rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      }
    }
    sendDone = true;
  };
  sendLoop().catch(() => {});
  await done;
  if (progress) clearInterval(progress);
  report();
  await started.close();
  return 0;
}

export const command: Command = {
  summary: 'run a headless QSM node (tests, benchmarks)',
  usage,
  run,
};
