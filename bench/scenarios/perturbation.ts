// Scenario `perturbation`: the dissertation's "sleep" and "loss" experiments on loopback. One
// receiver is perturbed — (a) paused with SIGSTOP for 0.5 s every 5 s, (b) dropping all input for
// 10 ms every second (the engine's FaultInjector, `--burst 1000:10`) — and throughput at
// the healthy receivers is compared with an unperturbed run in the same invocation. Every run
// must deliver every message everywhere (the nodes' reports are checked). With --rounds N the
// three runs are repeated N times, interleaved, and figures are medians over the rounds: single
// runs on a shared 2-core machine vary by ±10%; the paired figure is the median of each round's
// own ratio to that round's unperturbed run.
import { defineOptions } from '../../src-main/args/options';
import { nonNegative, number, positiveInteger } from '../../src-main/args/converters';
import type { OptionValues } from '../../src-main/args/options';
import { meanOf, minOf, pairedRatios, sumOf } from '../lib/stats';
import { measureRounds, medianOver, perRound, stealByRound } from '../lib/rounds';
import { measureEngine } from '../lib/engine-nodes';
import type { EngineOptions, EngineResult } from '../lib/engine-nodes';
import { numberField } from '../lib/node-report';
import type { ManagedProcess } from '../../testing/processes';
import { figure } from '../lib/results';
import type { Figure } from '../lib/results';
import * as shared from '../lib/options';
import { defineScenario } from '../lib/scenario';
import type { BenchContext, ScenarioOutcome } from '../lib/scenario';

const ms = (description: string, value: number, parse = nonNegative) =>
  ({ type: 'string', placeholder: 'N', parse, default: String(value), description }) as const;

const options = defineOptions({
  receivers: {
    type: 'string',
    placeholder: 'N',
    parse: number({ min: 2, integer: true }),
    default: '3',
    description: 'receiver processes, at least 2',
  },
  duration: shared.duration(10, 'measurement window; 10 s holds two pauses'),
  rounds: shared.rounds(5, 'of the three runs'),
  warmup: shared.warmup(1),
  size: shared.size(),
  rate: shared.rate(0),
  'pause-ms': ms('sleep: how long receiver #1 is stopped, ms', 500),
  'pause-every-ms': ms('sleep: how often, ms', 5000, positiveInteger),
  'burst-ms': ms('burst: how long receiver #1 drops all input, ms', 10),
  'burst-every-ms': ms('burst: how often, ms', 1000, positiveInteger),
  'node-args': shared.nodeArgs,
});

/** SIGSTOP/SIGCONT the first receiver: first pause 1 s into the window, then every `everyMs`. */
function sleeper(pauseMs: number, everyMs: number, pauses: number[]) {
  return (receivers: readonly ManagedProcess[]): (() => void) => {
    const target = receivers[0];
    if (!target) return () => undefined;
    const timers = new Set<NodeJS.Timeout>();
    let stopped = false;
    const pause = (): void => {
      if (stopped) return;
      const at = performance.now();
      target.signal('SIGSTOP');
      const resume = setTimeout(() => {
        timers.delete(resume);
        target.signal('SIGCONT');
        pauses.push(performance.now() - at);
      }, pauseMs);
      timers.add(resume);
    };
    const first = setTimeout(() => {
      pause();
      const every = setInterval(pause, everyMs);
      timers.add(every);
    }, 1000);
    timers.add(first);
    return () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      target.signal('SIGCONT');
    };
  };
}

async function run(values: OptionValues<typeof options>, context: BenchContext): Promise<ScenarioOutcome> {
  const { receivers, duration: windowSec, warmup: warmupSec, size, rate, rounds } = values;
  const { 'pause-ms': pauseMs, 'pause-every-ms': pauseEveryMs } = values;
  const { 'burst-ms': burstMs, 'burst-every-ms': burstEveryMs, 'node-args': nodeArgs = [] } = values;
  const burst = ['--burst', `${burstEveryMs}:${burstMs}`];
  const parameters = {
    receivers,
    rounds,
    windowSec,
    warmupSec,
    messageBytes: size,
    rate: rate || 'max',
    sleep: `${pauseMs} ms every ${pauseEveryMs} ms (SIGSTOP/SIGCONT)`,
    burst: burst.join(' '),
    nodeArgs: nodeArgs.join(' '),
  };
  const errors: string[] = [];
  const notes: string[] = [];
  /** How long each pause of the sleep run actually lasted, ms. */
  const pauses: number[] = [];
  const base: EngineOptions = {
    root: context.root,
    receivers,
    size,
    rate,
    warmupSec,
    windowSec,
    nodeArgs,
    progress: context.progress,
  };
  const variants: [string, Partial<EngineOptions>][] = [
    ['unperturbed', {}],
    ['sleep', { perturb: sleeper(pauseMs, pauseEveryMs, pauses) }],
    ['burst', { receiverArgs: (i) => (i === 0 ? burst : []) }],
  ];
  const extras = new Map(variants);
  const runs = await measureRounds(
    [...extras.keys()],
    rounds,
    (name) => name,
    (name, tag) => {
      context.progress(`${name}: ${receivers} receivers${tag}…`);
      return measureEngine({ ...base, ...extras.get(name) });
    },
    { errors, notes },
  );

  const healthy = (r: EngineResult | undefined): (number | null)[] =>
    r?.receivers.slice(1).map((x) => x.msgsPerSec) ?? [];
  const lost = (r: EngineResult | undefined): number | null => {
    if (!r || r.sent === null) return null;
    return r.receivers.reduce((s, x) => s + Math.max(0, (r.sent ?? 0) - (x.delivered ?? 0)), 0);
  };
  const repairs = (r: EngineResult | undefined): number | null =>
    r ? r.receivers.reduce((s, x) => s + (x.repairs ?? 0), 0) : null;
  /** The median over the rounds of a figure of one variant's runs. */
  const med = (name: string, get: (r: EngineResult) => number | null): number | null =>
    medianOver(runs.get(name), get);
  const baseName = rounds > 1 ? `unperturbed, same run (median of ${rounds})` : 'unperturbed, same run';
  const what = rounds > 1 ? ` (median of ${rounds} rounds)` : '';
  // Each against the same figure of the unperturbed runs.
  const compared: [string, (r: EngineResult | undefined) => number | null][] = [
    ['healthy receivers msgs/s (mean)', (r) => meanOf(healthy(r))],
    ['healthy receivers msgs/s (min)', (r) => minOf(healthy(r))],
    ['perturbed receiver #1 msgs/s', (r) => r?.receivers[0]?.msgsPerSec ?? null],
    ['sender msgs/s', (r) => r?.senderMsgsPerSec ?? null],
  ];
  const figures: Figure[] = [];
  for (const [name] of variants) {
    const ok = (runs.get(name) ?? []).some((r) => r !== undefined);
    const missing = ok ? {} : { note: 'failed, see Errors' };
    for (const [label, get] of compared) {
      figures.push(
        figure({
          name: `${name}: ${label}${what}`,
          unit: 'msgs/s',
          value: med(name, get),
          baselineName: baseName,
          baseline: med('unperturbed', get),
          ...missing,
        }),
      );
    }
    figures.push(
      figure({
        name: `${name}: messages not delivered (all receivers${rounds > 1 ? ', all rounds' : ''})`,
        unit: 'msgs',
        value: sumOf(perRound(runs.get(name), lost)),
        ...missing,
      }),
      figure({
        name: `${name}: repairs received (all receivers)${what}`,
        unit: 'msgs',
        value: med(name, repairs),
        ...missing,
      }),
    );
    if (name === 'burst') {
      figures.push(
        figure({
          name: `burst: datagrams dropped by fault injection at #1${what}`,
          unit: 'datagrams',
          value: med(name, (r) => numberField(r?.receivers[0]?.report, 'stats', 'faultDrops')),
        }),
      );
    }
  }
  if (rounds > 1) {
    // Each round's own ratio, and their median: pairs each perturbed run with the unperturbed
    // run of its own round.
    const healthyMean = (name: string): (number | null)[] =>
      perRound(runs.get(name), (r) => meanOf(healthy(r)));
    for (const [name] of variants.slice(1)) {
      const paired = pairedRatios(healthyMean(name), healthyMean('unperturbed'));
      figures.push(
        figure({
          name: `${name}: healthy receivers msgs/s (mean), median of the ${rounds} rounds' own ratios`,
          unit: '×',
          value: paired.median,
          baselineName: 'same round, unperturbed',
          baseline: 1,
        }),
      );
      const steal = stealByRound(runs.get(name), runs.get('unperturbed'));
      notes.push(
        `${name} vs unperturbed, healthy receivers (mean), round by round: ` +
          paired.ratios.map((x) => (x === null ? 'n/a' : `${x.toFixed(3)}×`)).join(', ') +
          (steal ? `; CPU stolen by the host during the ${name} / unperturbed run, %: ${steal}` : '') +
          '.',
      );
    }
  }
  if (pauses.length > 0) {
    notes.push(
      `sleep: receiver #1 paused ${pauses.length} time(s) in all, ${pauses.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}.`,
    );
  }
  notes.push(
    '"messages not delivered" is Σ over receivers of (sender’s sent − receiver’s stats.messagesDelivered) ' +
      'after the drain; any non-zero value, FIFO violation, duplicate or corrupt payload is also listed under Errors.',
  );
  return {
    parameters,
    figures,
    notes,
    errors,
    details: Object.fromEntries(runs),
  };
}

export const scenario = defineScenario({
  name: 'perturbation',
  summary: 'healthy-receiver throughput with one sleeping (SIGSTOP) or bursty-loss receiver, vs unperturbed',
  about:
    'One sender, N receivers; receiver #1 is perturbed, the others are the healthy ones. Three ' +
    'runs: unperturbed (the baseline); sleep, receiver #1 SIGSTOPped for --pause-ms every ' +
    '--pause-every-ms; burst, receiver #1 drops all input for --burst-ms every --burst-every-ms ' +
    '(`liveobjects node --burst EVERY:LEN`).',
  options,
  run,
});
