// Scenario `cost`: CPU time per message at the sender and at the receivers, and token round-trip
// time, vs the number of receivers (1, 2, 4, 8). The engine's CPU comes from process.cpuUsage()
// deltas in its progress lines over the window; the baseline is raw UDP multicast paced at the
// same rate (CPU from /proc over its window), so both do the same amount of work.
import { defineOptions } from '../../src-main/args/options';
import { positiveIntegers } from '../../src-main/args/converters';
import type { OptionValues } from '../../src-main/args/options';
import { errorText } from '../../src-shared/util/error-text';
import { meanOf } from '../lib/stats';
import { measureEngine } from '../lib/engine-nodes';
import type { EngineResult } from '../lib/engine-nodes';
import { measureRawMulticast } from '../lib/raw-udp';
import type { RawResult } from '../lib/raw-udp';
import { figure } from '../lib/results';
import type { Figure } from '../lib/results';
import * as shared from '../lib/options';
import { defineScenario } from '../lib/scenario';
import type { BenchContext, ScenarioOutcome } from '../lib/scenario';
import type { Trial } from '../lib/trials';

const options = defineOptions({
  receivers: {
    type: 'string',
    placeholder: 'LIST',
    parse: positiveIntegers,
    default: '1,2,4,8',
    description: 'receiver counts',
  },
  rate: shared.rate(2000, 'sender rate, msgs/s, for both; 0 = unpaced (raw then blasts and loses)'),
  duration: shared.duration(4),
  warmup: shared.warmup(1, 'warm-up'),
  size: shared.size(),
  'skip-raw': shared.skipRaw,
  'node-args': shared.nodeArgs,
});

/** µs of CPU per message from cores used and messages/s. */
const usPerMsg = (cores: number | null, rate: number): number | null =>
  cores !== null && rate > 0 ? (cores / rate) * 1e6 : null;

function rawReceiverUs(t: Trial | undefined): number | null {
  return meanOf(t?.receivers.map((w) => usPerMsg(w.cpu, w.msgsPerSec)));
}

async function run(values: OptionValues<typeof options>, context: BenchContext): Promise<ScenarioOutcome> {
  const { receivers: counts, rate, duration: windowSec, warmup: warmupSec, size } = values;
  const { 'skip-raw': skipRaw, 'node-args': nodeArgs = [] } = values;
  const errors: string[] = [];
  const notes: string[] = [];
  const engine = new Map<number, EngineResult>();
  const raw = new Map<number, RawResult>();
  const common = { root: context.root, size, warmupSec, windowSec, progress: context.progress };

  for (const n of counts) {
    if (!skipRaw) {
      context.progress(`raw UDP, ${n} receiver(s), ${rate || 'max'}/s…`);
      try {
        raw.set(
          n,
          await measureRawMulticast({
            ...common,
            receivers: n,
            probes: 1,
            initialRate: rate,
            lossTolerance: 0.01,
          }),
        );
      } catch (err) {
        errors.push(`raw UDP, ${n} receiver(s): ${errorText(err)}`);
      }
    }
    context.progress(`engine, ${n} receiver(s), ${rate || 'max'}/s…`);
    try {
      const r = await measureEngine({ ...common, receivers: n, rate, nodeArgs });
      engine.set(n, r);
      for (const p of r.problems) errors.push(`engine, ${n} receiver(s): ${p}`);
      notes.push(`engine, ${n} receiver(s): ${r.method}`);
    } catch (err) {
      errors.push(`engine, ${n} receiver(s): ${errorText(err)}`);
    }
  }

  const rawName = 'raw UDP multicast, same rate';
  const first = engine.get(counts[0] ?? 1);
  const figures: Figure[] = [];
  for (const n of counts) {
    const e = engine.get(n);
    const r = raw.get(n)?.best;
    const missing = e ? {} : { note: 'failed, see Errors' };
    const label = `${n} rcv`;
    figures.push(
      figure({
        name: `${label}: sender CPU per message sent`,
        unit: 'µs/msg',
        value: e?.senderCpuUsPerMsg ?? null,
        baselineName: rawName,
        baseline: r ? usPerMsg(r.senderCpu, r.sentPerSec) : null,
        ...missing,
      }),
      figure({
        name: `${label}: receiver CPU per message delivered (mean)`,
        unit: 'µs/msg',
        value: meanOf(e?.receivers.map((x) => x.cpuUsPerMsg)),
        baselineName: rawName,
        baseline: rawReceiverUs(r),
        ...missing,
      }),
      figure({
        name: `${label}: sender CPU`,
        unit: 'cores',
        value: e?.senderCpu ?? null,
        baselineName: rawName,
        baseline: r?.senderCpu ?? null,
        ...missing,
      }),
      figure({
        name: `${label}: delivered msgs/s (min receiver)`,
        unit: 'msgs/s',
        value: e?.minMsgsPerSec ?? null,
        baselineName: rawName,
        baseline: r?.minMsgsPerSec ?? null,
        ...missing,
      }),
      figure({
        name: `${label}: token round-trip time (mean)`,
        unit: 'ms',
        value: e?.tokenRttMs ?? null,
        baselineName: `${counts[0] ?? 1} receiver(s), same run`,
        baseline: first?.tokenRttMs ?? null,
        ...(e?.tokenRttMs == null ? { note: e ? e.tokenRttNote : 'failed, see Errors' } : {}),
      }),
    );
  }
  notes.push(
    'Engine CPU: user + system µs from process.cpuUsage(), printed in each node’s progress lines; ' +
      'Δcpu / Δmessages over the window (sender: messages sent; receivers: delivered). Raw UDP: ' +
      '/proc/<pid>/stat (10 ms ticks) over its window, divided by the same window’s message rate. ' +
      'Both include the Node runtime’s own overhead (GC, timers) at that rate.',
  );
  return {
    parameters: {
      receivers: counts,
      rate: rate || 'max',
      windowSec,
      warmupSec,
      messageBytes: size,
      nodeArgs: nodeArgs.join(' '),
    },
    figures,
    notes,
    errors,
    details: { engine: Object.fromEntries(engine), raw: Object.fromEntries(raw) },
  };
}

export const scenario = defineScenario({
  name: 'cost',
  summary: 'CPU µs per message at sender and receivers, token RTT, vs receivers (1, 2, 4, 8), vs raw UDP',
  about:
    'CPU µs per message at the sender and receivers, and token round-trip time, per receiver ' +
    'count; the engine and raw UDP multicast paced at the same rate.',
  options,
  run,
});
