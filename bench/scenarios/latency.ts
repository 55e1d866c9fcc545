// Scenario `latency`: end-to-end latency (send call → delivery) at 25%, 50%, 75% of the
// engine's maximum rate, measured first in the same run. Payloads carry the send time
// (performance.timeOrigin + performance.now(), shared by processes on one machine); the baseline
// is raw UDP multicast paced at the same rate, its datagrams stamped the same way. Every load is
// measured --rounds times, interleaved, and figures are medians: one 4-second window on a shared
// 2-core machine passes or fails with the host's phase (its steal time is reported alongside).
import { defineOptions } from '../../src-main/args/options';
import { nonNegative, positiveIntegers } from '../../src-main/args/converters';
import type { OptionValues } from '../../src-main/args/options';
import { errorText } from '../../src-shared/util/error-text';
import { maxOf, meanOf, median } from '../lib/stats';
import { measureRounds, medianOver, perRound, stealPercent } from '../lib/rounds';
import { measureEngine } from '../lib/engine-nodes';
import type { EngineResult } from '../lib/engine-nodes';
import { measureRawMulticast } from '../lib/raw-udp';
import type { RawResult } from '../lib/raw-udp';
import { figure } from '../lib/results';
import type { Figure } from '../lib/results';
import * as shared from '../lib/options';
import { defineScenario } from '../lib/scenario';
import type { BenchContext, ScenarioOutcome } from '../lib/scenario';

const options = defineOptions({
  receivers: shared.receivers(2),
  loads: {
    type: 'string',
    placeholder: 'LIST',
    parse: positiveIntegers,
    default: '25,50,75',
    description: 'percentages of the maximum rate',
  },
  duration: shared.duration(4, 'measurement window per load'),
  warmup: shared.warmup(1, 'warm-up; its latency samples are ignored'),
  size: shared.size('message size, at least 16'),
  'max-rate': {
    type: 'string',
    placeholder: 'N',
    parse: nonNegative,
    description: 'skip the maximum-rate run and use N msgs/s',
  },
  'skip-raw': shared.skipRaw,
  rounds: shared.rounds(3, 'load'),
  'node-args': shared.nodeArgs,
});

async function run(values: OptionValues<typeof options>, context: BenchContext): Promise<ScenarioOutcome> {
  const { receivers, loads, duration: windowSec, warmup: warmupSec, rounds } = values;
  const size = Math.max(16, values.size);
  const givenMax = values['max-rate'] ?? 0;
  const { 'skip-raw': skipRaw, 'node-args': nodeArgs = [] } = values;
  const errors: string[] = [];
  const notes: string[] = [];
  const common = {
    root: context.root,
    receivers,
    size,
    warmupSec,
    windowSec,
    nodeArgs,
    progress: context.progress,
  };

  let maxRun: EngineResult | undefined;
  let maxRate = givenMax;
  if (maxRate === 0) {
    context.progress(`maximum rate: engine unpaced, ${receivers} receiver(s)…`);
    try {
      maxRun = await measureEngine({ ...common, rate: 0 });
      maxRate = maxRun.minMsgsPerSec ?? 0;
      for (const p of maxRun.problems) errors.push(`max rate run: ${p}`);
      notes.push(`maximum rate: ${maxRun.method}; the slowest receiver's rate is the maximum.`);
    } catch (err) {
      errors.push(`max rate run: ${errorText(err)}`);
    }
  }
  // Per load, each round's raw UDP run (undefined where it failed or was skipped), in round
  // order beside the engine's: measureRounds calls the measurement once per load per round.
  const raw = new Map<number, (RawResult | undefined)[]>(loads.map((l) => [l, []]));
  const rateAt = (load: number): number => Math.max(1, Math.round((maxRate * load) / 100));
  const engine =
    maxRate > 0
      ? await measureRounds(
          loads,
          rounds,
          (load) => `${load}% (${rateAt(load)}/s)`,
          async (load, tag) => {
            const rate = rateAt(load);
            let r: RawResult | undefined;
            if (!skipRaw) {
              context.progress(`${load}%${tag}: raw UDP paced at ${rate}/s…`);
              try {
                r = await measureRawMulticast({
                  ...common,
                  probes: 1,
                  initialRate: rate,
                  lossTolerance: 0.01,
                });
              } catch (err) {
                errors.push(`${load}%${tag} raw UDP: ${errorText(err)}`);
              }
            }
            raw.get(load)!.push(r);
            context.progress(`${load}%${tag}: engine paced at ${rate}/s…`);
            const e = await measureEngine({ ...common, rate, latency: true });
            // A stamp that did not survive the trip reads as garbage: say so instead of averaging it.
            const bad = e.receivers.filter(
              (x) => x.latency && (x.latency.p50Ms < 0 || x.latency.maxMs > 600_000),
            );
            if (bad.length > 0)
              errors.push(
                `${load}%${tag}: implausible latency samples at ${bad.map((x) => x.name).join(', ')}`,
              );
            return e;
          },
          { errors, notes },
        )
      : new Map<number, (EngineResult | undefined)[]>();
  if (maxRate === 0) errors.push('no maximum rate, so no loads were measured');

  const rawName = 'raw UDP multicast, same rate';
  const over = rounds > 1 ? `, median of ${rounds} rounds` : '';
  const figures: Figure[] = [
    figure({
      name: 'maximum rate (slowest receiver, unpaced)',
      unit: 'msgs/s',
      value: maxRate || null,
      ...(maxRun || givenMax ? {} : { note: 'failed, see Errors' }),
    }),
  ];
  const p99 = (e: EngineResult): number | null => maxOf(e.receivers.map((x) => x.latency?.p99Ms ?? null));
  const busy = (e: EngineResult): number | null => (e.machineCpu ? e.machineCpu.busy * 100 : null);
  const repairs = (e: EngineResult): number | null => maxOf(e.receivers.map((x) => x.repairs));
  for (const load of loads) {
    const runs = engine.get(load);
    const raws = raw.get(load);
    const rawMedian = (get: (t: RawResult['best']) => number | null): number | null =>
      median((raws ?? []).map((r) => (r ? get(r.best) : null)));
    const missing = runs?.some((r) => r) ? {} : { note: 'failed, see Errors' };
    const noProcStat = runs?.some((r) => r && !r.machineCpu) ? { note: 'no /proc/stat' } : missing;
    figures.push(
      figure({
        name: `${load}% load: p50 latency (mean over receivers${over})`,
        unit: 'ms',
        value: medianOver(runs, (e) => meanOf(e.receivers.map((x) => x.latency?.p50Ms ?? null))),
        baselineName: rawName,
        baseline: rawMedian((t) => meanOf(t.receivers.map((x) => x.p50Ms))),
        ...missing,
      }),
      figure({
        name: `${load}% load: p99 latency (worst receiver${over})`,
        unit: 'ms',
        value: medianOver(runs, p99),
        baselineName: rawName,
        baseline: rawMedian((t) => maxOf(t.receivers.map((x) => x.p99Ms))),
        ...missing,
      }),
      figure({
        name: `${load}% load: max latency (worst receiver, worst round)`,
        unit: 'ms',
        value: maxOf(perRound(runs, (e) => maxOf(e.receivers.map((x) => x.latency?.maxMs ?? null)))),
        ...missing,
      }),
      figure({
        name: `${load}% load: messages repaired (worst receiver${over})`,
        unit: 'msgs',
        value: medianOver(runs, repairs),
        ...missing,
      }),
      figure({
        name: `${load}% load: machine CPU busy (all CPUs${over})`,
        unit: '%',
        value: medianOver(runs, busy),
        ...noProcStat,
      }),
      figure({
        name: `${load}% load: machine CPU stolen by the host${over}`,
        unit: '%',
        value: medianOver(runs, stealPercent),
        ...noProcStat,
      }),
      figure({
        name: `${load}% load: delivered msgs/s (min receiver${over})`,
        unit: 'msgs/s',
        value: medianOver(runs, (e) => e.minMsgsPerSec),
        baselineName: 'target rate',
        baseline: Math.round((maxRate * load) / 100) || null,
        ...missing,
      }),
    );
    if (rounds > 1 && runs?.some((r) => r)) {
      const list = (get: (e: EngineResult) => number | null, digits: number): string =>
        perRound(runs, get)
          .map((v) => (v === null ? 'n/a' : v.toFixed(digits)))
          .join(', ');
      notes.push(
        `${load}% load, round by round: p99 ${list(p99, 1)} ms; repaired ${list(repairs, 0)} msgs; ` +
          `machine CPU busy ${list(busy, 0)} %, stolen ${list(stealPercent, 1)} %.`,
      );
    }
  }
  notes.push(
    'Latency = receiver wall clock at delivery − the send stamp in the payload, both ' +
      '`performance.timeOrigin + performance.now()` (sub-ms resolution, one machine); for the engine ' +
      'the stamp is taken before `node.send()`, so time spent waiting for the sender to take the ' +
      'message (its flow-control window, or its bound on what is not transmitted yet) counts. ' +
      'Samples of the warm-up are skipped; raw UDP counts received datagrams only (it loses, the ' +
      'engine repairs).',
    'Repairs, machine CPU and steal explain tails: a receiver that lost datagrams (its socket buffer ' +
      'overflowed while it read more slowly than the sender sent) waits for repairs, and with the CPUs nearly busy or taken by ' +
      'the host (steal, /proc/stat over the window) every process waits its turn.',
  );
  return {
    parameters: {
      receivers,
      loads,
      rounds,
      windowSec,
      warmupSec,
      messageBytes: size,
      maxRate: maxRate || null,
      maxRateGiven: givenMax > 0,
      nodeArgs: nodeArgs.join(' '),
    },
    figures,
    notes,
    errors,
    details: { maxRun, engine: Object.fromEntries(engine), raw: Object.fromEntries(raw) },
  };
}

export const scenario = defineScenario({
  name: 'latency',
  summary: 'p50/p99 end-to-end latency at 25/50/75% of the maximum rate, vs raw UDP at the same rate',
  about:
    "Measures the engine's maximum rate (unpaced), then p50/p99 end-to-end latency with the " +
    'sender paced at fractions of it, next to raw UDP multicast paced at the same rate.',
  options,
  run,
});
