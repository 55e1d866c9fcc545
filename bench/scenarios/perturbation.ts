// Scenario `perturbation`: the dissertation's "sleep" and "loss" experiments on loopback. One
// receiver is perturbed — (a) paused with SIGSTOP for 0.5 s every 5 s, (b) dropping all input for
// 10 ms every second (the engine's FaultInjector, `--fault-burst 10/1000`) — and throughput at
// the healthy receivers is compared with an unperturbed run in the same invocation. Every run
// must deliver every message everywhere (the nodes' reports are checked). With --rounds N the
// three runs are repeated N times, interleaved, and figures are medians over the rounds: single
// runs on a shared 2-core machine vary by ±10%; the paired figure is the median of each round's
// own ratio to that round's unperturbed run.
import { numberOption, wordsOption } from '../lib/args';
import type { Options } from '../lib/args';
import { meanOf, minOf, pairedRatios, sumOf } from '../lib/stats';
import { measureRounds, medianOver, perRound, stealByRound } from '../lib/rounds';
import { measureEngine } from '../lib/engine-nodes';
import type { EngineOptions, EngineResult } from '../lib/engine-nodes';
import { numberField } from '../lib/node-report';
import type { ManagedProcess } from '../../testing/processes';
import { figure } from '../lib/results';
import type { Figure } from '../lib/results';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/scenario';

const usage = `Usage: npm run bench -- perturbation [options]

One sender, N receivers; receiver #1 is perturbed, the others are the healthy ones.
  unperturbed   baseline
  sleep         receiver #1 SIGSTOPped for --pause-ms every --pause-every-ms
  burst         receiver #1 drops all input for --burst-ms every --burst-every-ms

Options:
  --receivers N        receiver processes, at least 2 (default 3)
  --duration SEC       measurement window (default 10: two pauses)
  --rounds N           run the three N times, interleaved; figures are medians (default 5)
  --warmup SEC         warm-up after the first delivery (default 1)
  --size BYTES         message size (default 1024)
  --rate N             sender rate (default 0 = as fast as flow control allows)
  --pause-ms N         (default 500)      --pause-every-ms N  (default 5000)
  --burst-ms N         (default 10)       --burst-every-ms N  (default 1000)
  --node-args "..."    extra arguments for every \`liveobjects node\`
  --out DIR            results directory (default bench/results)`;

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

async function run(options: Options, context: BenchContext): Promise<ScenarioOutcome> {
  const receivers = Math.max(2, Math.round(numberOption(options, 'receivers', 3)));
  const windowSec = numberOption(options, 'duration', 10);
  const warmupSec = numberOption(options, 'warmup', 1);
  const size = Math.round(numberOption(options, 'size', 1024));
  const rate = numberOption(options, 'rate', 0);
  const pauseMs = numberOption(options, 'pause-ms', 500);
  const pauseEveryMs = Math.max(1, numberOption(options, 'pause-every-ms', 5000));
  const burstMs = numberOption(options, 'burst-ms', 10);
  const burstEveryMs = Math.max(1, numberOption(options, 'burst-every-ms', 1000));
  const nodeArgs = wordsOption(options, 'node-args');
  const rounds = Math.max(1, Math.round(numberOption(options, 'rounds', 5)));
  const parameters = {
    receivers,
    rounds,
    windowSec,
    warmupSec,
    messageBytes: size,
    rate: rate || 'max',
    sleep: `${pauseMs} ms every ${pauseEveryMs} ms (SIGSTOP/SIGCONT)`,
    burst: `--fault-burst ${burstMs}/${burstEveryMs}`,
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
    ['burst', { receiverArgs: (i) => (i === 0 ? ['--fault-burst', `${burstMs}/${burstEveryMs}`] : []) }],
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

export const scenario: Scenario = {
  name: 'perturbation',
  summary: 'healthy-receiver throughput with one sleeping (SIGSTOP) or bursty-loss receiver, vs unperturbed',
  usage,
  run,
};
