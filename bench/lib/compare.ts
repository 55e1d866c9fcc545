// Throughput against the baselines, per receiver count: raw UDP multicast (physical limit),
// optionally NATS pub/sub (a broker), then the engine, back to back so all see the same load.
// Shared by the `engine` (1, 2, 4 receivers, no NATS) and `receivers` scenarios on loopback, and
// by `lan` between simulated machines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { positiveInteger, positiveIntegers, ValueError } from '../../src-main/args/converters';
import type { Converter } from '../../src-main/args/converters';
import type { OptionValues } from '../../src-main/args/options';
import { measureEngine } from './engine-nodes';
import type { EngineResult } from './engine-nodes';
import { NATS_INSTALL_HINT, findNatsServer, measureNats } from './nats';
import type { NatsResult } from './nats';
import { ON_LOOPBACK } from './placement';
import type { Placement } from './placement';
import { measureRawMulticast } from './raw-udp';
import type { RawResult } from './raw-udp';
import { figure, formatNumber } from './results';
import type { Figure } from './results';
import * as shared from './options';
import type { BenchContext, ScenarioOutcome } from './scenario';
import type { Trial } from './trials';
import { meanOf } from './stats';
import { errorText } from '../../src-shared/util/error-text';
import { isLoopbackHost } from '../../src-main/engine/gms';
import { writeTeamInvitation } from '../../src-main/host/workspace/testing/team';

export interface CompareDefaults {
  readonly receivers: readonly number[];
  readonly duration: number;
  readonly warmup: number;
  readonly probes: number;
  readonly nats: boolean;
}

export type AuthMode = 'off' | 'on' | 'both';

const authMode: Converter<AuthMode> = (text) => {
  if (text === 'off' || text === 'on' || text === 'both') return text;
  throw new ValueError('off, on or both');
};

/** The options of a comparison, its defaults from `d`. */
export function compareOptions(d: CompareDefaults) {
  return {
    receivers: {
      type: 'string',
      placeholder: 'LIST',
      parse: positiveIntegers,
      default: d.receivers.join(','),
      description: 'receiver counts',
    },
    duration: shared.duration(d.duration, 'measurement window per trial'),
    warmup: shared.warmup(d.warmup, 'warm-up before each window'),
    size: shared.size('message / datagram size'),
    probes: {
      type: 'string',
      placeholder: 'N',
      parse: positiveInteger,
      default: String(d.probes),
      description: 'rate-search trials per baseline and receiver count',
    },
    rate: shared.rate(
      0,
      'engine sender rate in msgs/s, passed to --send; 0 = as fast as flow control allows',
    ),
    'node-args': shared.nodeArgs,
    'skip-raw': shared.skipRaw,
    'skip-engine': { type: 'boolean', description: 'baselines only' },
    auth: {
      type: 'string',
      placeholder: 'off|on|both',
      parse: authMode,
      default: 'off',
      description:
        'engine traffic authenticated under a packet key (on), not (off), or both back to back, reported as a ratio',
    },
  } as const;
}

/** The NATS baseline's options, for comparisons that have one. */
export const natsOptions = {
  'skip-nats': { type: 'boolean', description: 'no NATS baseline' },
  'nats-server': {
    type: 'string',
    placeholder: 'PATH',
    defaultText: 'on PATH, in /usr/sbin or /usr/local/bin',
    description: 'the nats-server binary',
  },
} as const;

/** Where a comparison runs, when not all on loopback. */
export interface ComparisonNetwork {
  readonly placement: Placement;
  /** Raw UDP's datagram size (default: the message size). */
  readonly rawDatagramBytes?: number;
  /** `liveobjects node` options every node gets, before --node-args. */
  readonly nodeArgs?: readonly string[];
}

export type CompareValues = OptionValues<ReturnType<typeof compareOptions>> &
  Partial<OptionValues<typeof natsOptions>>;

function trialNotes(label: string, n: number, trials: readonly Trial[]): string {
  const text = trials
    .map(
      (t) =>
        `${t.rate === 'max' ? 'max' : formatNumber(t.rate)}/s → sent ${formatNumber(t.sentPerSec)}, ` +
        `received ${formatNumber(t.meanMsgsPerSec)} (loss ${(t.meanLoss * 100).toFixed(1)}%)`,
    )
    .join('; ');
  return `${label}, ${n} receiver(s), rate search: ${text}. Best received rate is the baseline.`;
}

export async function runComparison(
  values: CompareValues,
  context: BenchContext,
  d: CompareDefaults,
  network: ComparisonNetwork = { placement: ON_LOOPBACK },
): Promise<ScenarioOutcome> {
  const { receivers: receiverCounts, duration: windowSec, warmup: warmupSec, size, probes, rate } = values;
  const { 'skip-raw': skipRaw, 'skip-engine': skipEngine } = values;
  const { placement, rawDatagramBytes = size } = network;
  // Nodes off loopback refuse to run without a workspace (liveobjects node --workspace): there
  // every engine run is authenticated, whatever --auth says.
  const offLoopback = !isLoopbackHost(placement.sender.address);
  const auth = offLoopback ? 'on' : values.auth;
  const nodeArgs = [...(network.nodeArgs ?? []), ...(values['node-args'] ?? [])];
  const natsServer = d.nats ? findNatsServer(values['nats-server']) : null;
  const skipNats = !d.nats || values['skip-nats'] === true || natsServer === null;
  const lossTolerance = 0.01;

  const parameters = {
    receivers: receiverCounts,
    windowSec,
    warmupSec,
    messageBytes: size,
    ...(rawDatagramBytes !== size ? { rawDatagramBytes } : {}),
    baselineProbes: probes,
    baselineLossTolerance: lossTolerance,
    engineSendRate: rate === 0 ? 'max' : rate,
    nodeArgs: nodeArgs.join(' '),
    skipRaw,
    skipEngine,
    auth,
    ...(d.nats ? { nats: skipNats ? 'skipped' : natsServer } : {}),
  };
  const errors: string[] = [];
  const notes: string[] = [];
  if (d.nats && natsServer === null && values['skip-nats'] !== true) {
    notes.push(`NATS column skipped: ${NATS_INSTALL_HINT}.`);
    context.progress(`NATS column skipped: ${NATS_INSTALL_HINT}`);
  }
  const raw = new Map<number, RawResult>();
  const nats = new Map<number, NatsResult>();
  const engine = new Map<number, EngineResult>();
  /** With `--auth both`: the engine with authentication (`engine` holds it without). */
  const engineAuth = new Map<number, EngineResult>();
  let engineBroken: string | undefined;
  const keyDir = auth === 'off' ? undefined : mkdtempSync(join(tmpdir(), 'liveobjects-bench-key-'));
  const invitation = keyDir && writeTeamInvitation(keyDir, 'bench');
  const trialOpts = { warmupSec, windowSec, probes, lossTolerance, progress: context.progress };

  for (const n of receiverCounts) {
    if (!skipRaw) {
      context.progress(`raw UDP multicast with ${n} receiver(s)…`);
      try {
        raw.set(
          n,
          await measureRawMulticast({
            root: context.root,
            receivers: n,
            size: rawDatagramBytes,
            placement,
            ...trialOpts,
          }),
        );
      } catch (err) {
        errors.push(`raw UDP, ${n} receiver(s): ${errorText(err)}`);
      }
    }
    if (!skipNats && natsServer !== null) {
      context.progress(`NATS pub/sub with ${n} receiver(s)…`);
      try {
        nats.set(
          n,
          await measureNats({
            root: context.root,
            server: natsServer,
            receivers: n,
            size,
            placement,
            ...trialOpts,
          }),
        );
      } catch (err) {
        errors.push(`NATS, ${n} receiver(s): ${errorText(err)}`);
      }
    }
    if (skipEngine) continue;
    if (engineBroken !== undefined) {
      errors.push(`engine, ${n} receiver(s): not attempted after the earlier failure`);
      continue;
    }
    const runs: [Map<number, EngineResult>, string | undefined, string][] =
      auth === 'both'
        ? [
            [engine, undefined, 'engine'],
            [engineAuth, invitation, 'engine, authenticated'],
          ]
        : [[engine, invitation, auth === 'on' ? 'engine, authenticated' : 'engine']];
    for (const [into, keyed, what] of runs) {
      if (engineBroken !== undefined) break;
      context.progress(`${what} with ${n} receiver(s)…`);
      try {
        const result = await measureEngine({
          root: context.root,
          receivers: n,
          size,
          rate,
          warmupSec,
          windowSec,
          nodeArgs,
          placement,
          progress: context.progress,
          ...(keyed && { invitation: keyed }),
        });
        into.set(n, result);
        for (const problem of result.problems) errors.push(`${what}, ${n} receiver(s): ${problem}`);
      } catch (err) {
        engineBroken = errorText(err);
        errors.push(`${what}, ${n} receiver(s): ${engineBroken}`);
      }
    }
  }
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });

  const figures: Figure[] = [];
  const rawName =
    rawDatagramBytes === size ? 'raw UDP multicast' : `raw UDP multicast, ${rawDatagramBytes} B datagrams`;
  const natsName = 'NATS pub/sub';
  for (const n of receiverCounts) {
    const r = raw.get(n)?.best;
    const q = nats.get(n)?.best;
    const e = engine.get(n);
    const missing = e ? {} : { note: skipEngine ? 'skipped' : 'failed, see Errors' };
    const label = `${n} rcv`;
    const rows: [string, string, number | null, number | null, number | null][] = [
      [
        'msgs/s per receiver (mean)',
        'msgs/s',
        e?.meanMsgsPerSec ?? null,
        r?.meanMsgsPerSec ?? null,
        q?.meanMsgsPerSec ?? null,
      ],
      [
        'msgs/s per receiver (min)',
        'msgs/s',
        e?.minMsgsPerSec ?? null,
        r?.minMsgsPerSec ?? null,
        q?.minMsgsPerSec ?? null,
      ],
      [
        'MB/s per receiver (mean)',
        'MB/s',
        e?.meanMBPerSec ?? null,
        r?.meanMBPerSec ?? null,
        q?.meanMBPerSec ?? null,
      ],
    ];
    for (const [what, unit, value, rawValue, natsValue] of rows) {
      figures.push(
        figure({
          name: `${label}: ${what}`,
          unit,
          value,
          baselineName: rawName,
          baseline: rawValue,
          ...missing,
        }),
      );
      if (!skipNats) {
        figures.push(
          figure({
            name: `${label}: ${what}`,
            unit,
            value,
            baselineName: natsName,
            baseline: natsValue,
            ...missing,
          }),
        );
      }
    }
    figures.push(
      figure({
        name: `${label}: CPU per receiver process (mean)`,
        unit: 'cores',
        value: meanOf(e?.receivers.map((x) => x.cpu)),
        baselineName: rawName,
        baseline: meanOf(r?.receivers.map((x) => x.cpu)),
        ...missing,
      }),
      figure({
        name: `${label}: token round-trip time (mean)`,
        unit: 'ms',
        value: e?.tokenRttMs ?? null,
        ...(e?.tokenRttMs == null ? { note: e ? e.tokenRttNote : (missing.note ?? '') } : {}),
      }),
    );
    const a = engineAuth.get(n);
    if (auth === 'both') {
      const why = a ? {} : { note: 'failed, see Errors' };
      figures.push(
        figure({
          name: `${label}: msgs/s per receiver (mean), authenticated`,
          unit: 'msgs/s',
          value: a?.meanMsgsPerSec ?? null,
          baselineName: 'engine without authentication',
          baseline: e?.meanMsgsPerSec ?? null,
          ...why,
        }),
        figure({
          name: `${label}: CPU per receiver process (mean), authenticated`,
          unit: 'cores',
          value: meanOf(a?.receivers.map((x) => x.cpu)),
          baselineName: 'engine without authentication',
          baseline: meanOf(e?.receivers.map((x) => x.cpu)),
          ...why,
        }),
        // Per message, CPU time tells the cost apart from the share of a busy machine a run got.
        figure({
          name: `${label}: receiver CPU per message (mean), authenticated`,
          unit: 'µs',
          value: meanOf(a?.receivers.map((x) => x.cpuUsPerMsg)),
          baselineName: 'engine without authentication',
          baseline: meanOf(e?.receivers.map((x) => x.cpuUsPerMsg)),
          ...why,
        }),
        figure({
          name: `${label}: sender CPU per message, authenticated`,
          unit: 'µs',
          value: a?.senderCpuUsPerMsg ?? null,
          baselineName: 'engine without authentication',
          baseline: e?.senderCpuUsPerMsg ?? null,
          ...why,
        }),
      );
    }
    if (r)
      figures.push(
        figure({ name: `${label}: raw UDP loss at its best rate`, unit: '%', value: r.meanLoss * 100 }),
      );
    if (q)
      figures.push(
        figure({ name: `${label}: NATS loss at its best rate`, unit: '%', value: q.meanLoss * 100 }),
      );
  }

  for (const [n, r] of raw) notes.push(trialNotes('raw UDP', n, r.trials));
  for (const [n, r] of nats) notes.push(trialNotes('NATS', n, r.trials));
  for (const [n, e] of engine) notes.push(`engine, ${n} receiver(s): ${e.method}`);
  if (auth === 'on')
    notes.push(
      'Engine traffic authenticated under a packet key (datagrams and GMS frames)' +
        (offLoopback && values.auth !== 'on' ? ': off loopback the nodes run only in a workspace.' : '.'),
    );
  if (auth === 'both') {
    notes.push(
      'Authenticated: the engine again right after each unauthenticated run, every datagram and GMS ' +
        'frame under a packet key; the ratio is authenticated over unauthenticated (≥ 0.9 is the target). ' +
        'Back-to-back runs on a shared machine differ by several percent on their own.',
    );
  }
  if (raw.size > 0) {
    notes.push(
      'Raw UDP is unreliable: its figure is what receivers actually got, at the paced or unpaced ' +
        'sender rate that gave the most; the engine figure counts delivered messages only.',
    );
  }
  if (nats.size > 0) {
    notes.push(
      `NATS: nats-server on a free port of ${placement.broker.address}, one publisher (batches of 512 then a flush round ` +
        'trip when unpaced), one subscriber process per receiver; core NATS is at-most-once (TCP, ' +
        'slow consumers are cut off), so loss is shown like raw UDP’s.',
    );
  }
  return {
    parameters,
    figures,
    notes,
    errors,
    details: {
      raw: Object.fromEntries(raw),
      nats: Object.fromEntries(nats),
      engine: Object.fromEntries(engine),
      ...(auth === 'both' ? { engineAuthenticated: Object.fromEntries(engineAuth) } : {}),
    },
  };
}
