// Scenario `latency`: end-to-end latency (send call → delivery) at 25%, 50%, 75% of the
// engine's maximum rate, measured first in the same run. Payloads carry the send time
// (performance.timeOrigin + performance.now(), shared by processes on one machine); the baseline
// is raw UDP multicast paced at the same rate, its datagrams stamped the same way.
import { flagOption, numberListOption, numberOption, wordsOption } from '../lib/args';
import type { Options } from '../lib/args';
import { errorText } from '../../src-shared/util/error-text';
import { maxOf, meanOf } from '../lib/stats';
import { measureEngine } from '../lib/engine-nodes';
import type { EngineResult } from '../lib/engine-nodes';
import { measureRawMulticast } from '../lib/raw-udp';
import type { RawResult } from '../lib/raw-udp';
import { figure } from '../lib/results';
import type { Figure } from '../lib/results';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/scenario';

const usage = `Usage: npm run bench -- latency [options]

Measures the engine's maximum rate (unpaced), then p50/p99 end-to-end latency with the sender
paced at fractions of it, next to raw UDP multicast paced at the same rate.

Options:
  --receivers N      receiver processes (default 2)
  --loads LIST       percentages of the maximum rate (default 25,50,75)
  --duration SEC     measurement window per load (default 4)
  --warmup SEC       warm-up; its latency samples are ignored (default 1)
  --size BYTES       message size (default 1024, at least 16)
  --max-rate N       skip the maximum-rate run and use N msgs/s
  --skip-raw         no raw UDP baseline
  --node-args "..."  extra arguments for every \`liveobjects node\`
  --out DIR          results directory (default bench/results)`;

async function run(options: Options, context: BenchContext): Promise<ScenarioOutcome> {
  const receivers = Math.max(1, Math.round(numberOption(options, 'receivers', 2)));
  const loads = numberListOption(options, 'loads', [25, 50, 75]);
  const windowSec = numberOption(options, 'duration', 4);
  const warmupSec = numberOption(options, 'warmup', 1);
  const size = Math.max(16, Math.round(numberOption(options, 'size', 1024)));
  const givenMax = numberOption(options, 'max-rate', 0);
  const skipRaw = flagOption(options, 'skip-raw');
  const nodeArgs = wordsOption(options, 'node-args');
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
  const engine = new Map<number, EngineResult>();
  const raw = new Map<number, RawResult>();
  if (maxRate > 0) {
    for (const load of loads) {
      const rate = Math.max(1, Math.round((maxRate * load) / 100));
      if (!skipRaw) {
        context.progress(`${load}%: raw UDP paced at ${rate}/s…`);
        try {
          raw.set(
            load,
            await measureRawMulticast({ ...common, probes: 1, initialRate: rate, lossTolerance: 0.01 }),
          );
        } catch (err) {
          errors.push(`${load}% raw UDP: ${errorText(err)}`);
        }
      }
      context.progress(`${load}%: engine paced at ${rate}/s…`);
      try {
        const r = await measureEngine({ ...common, rate, latency: true });
        engine.set(load, r);
        for (const p of r.problems) errors.push(`${load}%: ${p}`);
        // A stamp that did not survive the trip reads as garbage: say so instead of averaging it.
        const bad = r.receivers.filter(
          (x) => x.latency && (x.latency.p50Ms < 0 || x.latency.maxMs > 600_000),
        );
        if (bad.length > 0)
          errors.push(`${load}%: implausible latency samples at ${bad.map((x) => x.name).join(', ')}`);
        notes.push(`${load}% (${rate}/s): ${r.method}`);
      } catch (err) {
        errors.push(`${load}% engine: ${errorText(err)}`);
      }
    }
  } else {
    errors.push('no maximum rate, so no loads were measured');
  }

  const rawName = 'raw UDP multicast, same rate';
  const figures: Figure[] = [
    figure({
      name: 'maximum rate (slowest receiver, unpaced)',
      unit: 'msgs/s',
      value: maxRate || null,
      ...(maxRun || givenMax ? {} : { note: 'failed, see Errors' }),
    }),
  ];
  for (const load of loads) {
    const e = engine.get(load);
    const r = raw.get(load)?.best;
    const missing = e ? {} : { note: 'failed, see Errors' };
    const lat = e?.receivers.map((x) => x.latency) ?? [];
    figures.push(
      figure({
        name: `${load}% load: p50 latency (mean over receivers)`,
        unit: 'ms',
        value: meanOf(lat.map((l) => l?.p50Ms ?? null)),
        baselineName: rawName,
        baseline: meanOf(r?.receivers.map((x) => x.p50Ms)),
        ...missing,
      }),
      figure({
        name: `${load}% load: p99 latency (worst receiver)`,
        unit: 'ms',
        value: maxOf(lat.map((l) => l?.p99Ms ?? null)),
        baselineName: rawName,
        baseline: maxOf(r?.receivers.map((x) => x.p99Ms)),
        ...missing,
      }),
      figure({
        name: `${load}% load: max latency (worst receiver)`,
        unit: 'ms',
        value: maxOf(lat.map((l) => l?.maxMs ?? null)),
        ...missing,
      }),
      figure({
        name: `${load}% load: delivered msgs/s (min receiver)`,
        unit: 'msgs/s',
        value: e?.minMsgsPerSec ?? null,
        baselineName: 'target rate',
        baseline: Math.round((maxRate * load) / 100) || null,
        ...missing,
      }),
    );
  }
  notes.push(
    'Latency = receiver wall clock at delivery − the send stamp in the payload, both ' +
      '`performance.timeOrigin + performance.now()` (sub-ms resolution, one machine); for the engine ' +
      'the stamp is taken before `node.send()`, so time spent waiting for the flow-control window ' +
      'counts. Samples of the warm-up are skipped; raw UDP counts received datagrams only (it loses, ' +
      'the engine repairs).',
  );
  return {
    parameters: {
      receivers,
      loads,
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

export const scenario: Scenario = {
  name: 'latency',
  summary: 'p50/p99 end-to-end latency at 25/50/75% of the maximum rate, vs raw UDP at the same rate',
  usage,
  run,
};
