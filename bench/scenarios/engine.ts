// Scenario `engine`: QSM reliable multicast throughput against the physical baseline, raw UDP IP
// multicast on loopback, measured in the same run for 1, 2, 4 receivers, plus token round-trip
// time. Raw and engine runs alternate per receiver count so both see the same machine load.
import { flagOption, numberListOption, numberOption, stringOption } from '../lib/args';
import type { Options } from '../lib/args';
import { measureEngine } from '../lib/engine-nodes';
import type { EngineResult } from '../lib/engine-nodes';
import { measureRawMulticast } from '../lib/raw-udp';
import type { RawResult } from '../lib/raw-udp';
import { figure, formatNumber } from '../lib/results';
import type { Figure } from '../lib/results';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/scenario';

const usage = `Usage: npm run bench -- engine [options]

Raw UDP multicast (baseline) vs the QSM engine, 1 sender, N receiver processes, on loopback.

Options:
  --receivers LIST   receiver counts (default 1,2,4)
  --duration SEC     measurement window per trial (default 5)
  --warmup SEC       warm-up before each window (default 1)
  --size BYTES       message / datagram size (default 1024)
  --probes N         raw UDP rate-search trials per receiver count (default 3)
  --rate N           engine sender rate in msgs/s passed to --send (default 0 = as fast as
                     flow control allows)
  --estimate N       first guess of the engine's unpaced rate, sizes the message count
                     (default 5000; corrected automatically)
  --node-args "..."  extra arguments for every \`liveobjects node\` (space-separated)
  --skip-raw         engine only (ratios become n/a)
  --skip-engine      raw UDP only
  --out DIR          results directory (default bench/results)`;

/** Mean of the known values; null when there are none. */
function meanOf(values: readonly (number | null)[] | undefined): number | null {
  const known = (values ?? []).filter((v): v is number => v !== null);
  return known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : null;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function run(options: Options, context: BenchContext): Promise<ScenarioOutcome> {
  const receiverCounts = numberListOption(options, 'receivers', [1, 2, 4]);
  const windowSec = numberOption(options, 'duration', 5);
  const warmupSec = numberOption(options, 'warmup', 1);
  const size = Math.round(numberOption(options, 'size', 1024));
  const probes = Math.max(1, Math.round(numberOption(options, 'probes', 3)));
  const rate = numberOption(options, 'rate', 0);
  const nodeArgs = stringOption(options, 'node-args', '').split(' ').filter(Boolean);
  const skipRaw = flagOption(options, 'skip-raw');
  const skipEngine = flagOption(options, 'skip-engine');
  const lossTolerance = 0.01;
  let estimate = Math.max(100, numberOption(options, 'estimate', 5000));

  const parameters = {
    receivers: receiverCounts,
    windowSec,
    warmupSec,
    messageBytes: size,
    rawProbes: probes,
    rawLossTolerance: lossTolerance,
    engineSendRate: rate === 0 ? 'max' : rate,
    engineInitialEstimate: estimate,
    nodeArgs: nodeArgs.join(' '),
    skipRaw,
    skipEngine,
  };
  const errors: string[] = [];
  const notes: string[] = [];
  const raw = new Map<number, RawResult>();
  const engine = new Map<number, EngineResult>();
  let engineBroken: string | undefined;

  for (const n of receiverCounts) {
    if (!skipRaw) {
      context.progress(`raw UDP multicast with ${n} receiver(s)…`);
      try {
        raw.set(
          n,
          await measureRawMulticast({
            root: context.root,
            receivers: n,
            size,
            warmupSec,
            windowSec,
            probes,
            lossTolerance,
            progress: context.progress,
          }),
        );
      } catch (err) {
        errors.push(`raw UDP, ${n} receiver(s): ${errorText(err)}`);
      }
    }
    if (skipEngine) continue;
    if (engineBroken !== undefined) {
      errors.push(`engine, ${n} receiver(s): not attempted after the earlier failure`);
      continue;
    }
    context.progress(`engine with ${n} receiver(s)…`);
    try {
      const attempt = (guess: number): Promise<EngineResult> =>
        measureEngine({
          root: context.root,
          receivers: n,
          size,
          rate,
          warmupSec,
          windowSec,
          estimate: guess,
          nodeArgs,
          progress: context.progress,
        });
      let result = await attempt(estimate);
      // Unpaced, the count comes from a guessed rate; if the sender ran out before the window
      // ended, measure again with a count sized from the rate just seen.
      if (rate === 0 && result.windowSec < windowSec * 0.8) {
        const seen = Math.max(
          result.meanMsgsPerSec ?? 0,
          result.completionSec ? result.count / result.completionSec : 0,
        );
        estimate = Math.max(estimate * 2, seen * 1.5);
        context.progress(
          `engine finished early; again with ~${Math.round(estimate)} msgs/s worth of messages`,
        );
        result = await attempt(estimate);
      }
      // Carry the observed rate to the next receiver count (throughput falls as receivers grow).
      if (result.meanMsgsPerSec !== null) estimate = Math.max(1000, result.meanMsgsPerSec);
      engine.set(n, result);
      for (const problem of result.problems) errors.push(`engine, ${n} receiver(s): ${problem}`);
    } catch (err) {
      engineBroken = errorText(err);
      errors.push(`engine, ${n} receiver(s): ${engineBroken}`);
    }
  }

  const figures: Figure[] = [];
  const rawName = 'raw UDP multicast';
  for (const n of receiverCounts) {
    const r = raw.get(n)?.best;
    const e = engine.get(n);
    const failed = skipEngine ? 'skipped' : 'failed, see Errors';
    const label = `${n} rcv`;
    figures.push(
      figure({
        name: `${label}: msgs/s per receiver (mean)`,
        unit: 'msgs/s',
        value: e?.meanMsgsPerSec ?? null,
        baselineName: rawName,
        baseline: r?.meanMsgsPerSec ?? null,
        ...(e ? {} : { note: failed }),
      }),
      figure({
        name: `${label}: msgs/s per receiver (min)`,
        unit: 'msgs/s',
        value: e?.minMsgsPerSec ?? null,
        baselineName: rawName,
        baseline: r?.minMsgsPerSec ?? null,
        ...(e ? {} : { note: failed }),
      }),
      figure({
        name: `${label}: MB/s per receiver (mean)`,
        unit: 'MB/s',
        value: e?.meanMBPerSec ?? null,
        baselineName: rawName,
        baseline: r?.meanMBPerSec ?? null,
        ...(e ? {} : { note: failed }),
      }),
      figure({
        name: `${label}: CPU per receiver process (mean)`,
        unit: 'cores',
        value: meanOf(e?.receivers.map((x) => x.cpu)),
        baselineName: rawName,
        baseline: meanOf(r?.receivers.map((x) => x.cpu)),
        ...(e ? {} : { note: failed }),
      }),
      figure({
        name: `${label}: token round-trip time (mean)`,
        unit: 'ms',
        value: e?.tokenRttMs ?? null,
        ...(e?.tokenRttMs == null ? { note: e ? e.tokenRttNote : failed } : {}),
      }),
    );
    if (r) {
      figures.push(
        figure({
          name: `${label}: raw UDP loss at its best rate`,
          unit: '%',
          value: r.meanLoss * 100,
        }),
      );
    }
  }

  for (const [n, r] of raw) {
    const trials = r.trials
      .map(
        (t) =>
          `${t.rate === 'max' ? 'max' : formatNumber(t.rate)}/s → sent ${formatNumber(t.sentPerSec)}, ` +
          `received ${formatNumber(t.meanMsgsPerSec)} (loss ${(t.meanLoss * 100).toFixed(1)}%)`,
      )
      .join('; ');
    notes.push(`raw UDP, ${n} receiver(s), rate search: ${trials}. Best received rate is the baseline.`);
  }
  for (const [n, e] of engine) {
    notes.push(`engine, ${n} receiver(s): ${e.method}`);
  }
  if (raw.size > 0) {
    notes.push(
      'Raw UDP is unreliable: its figure is what receivers actually got, at the paced or unpaced ' +
        'sender rate that gave the most; the engine figure counts delivered messages only.',
    );
  }
  return {
    parameters,
    figures,
    notes,
    errors,
    details: { raw: Object.fromEntries(raw), engine: Object.fromEntries(engine) },
  };
}

export const scenario: Scenario = {
  name: 'engine',
  summary: 'QSM engine throughput and token RTT vs raw UDP multicast on loopback (1, 2, 4 receivers)',
  usage,
  run,
};
