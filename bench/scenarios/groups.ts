// Scenario `groups`: one sender, one region, 1 / 100 / 1 000 / 10 000 groups. Every receiver and
// the sender join all groups (so they form one region) and the sender sends round-robin over
// them. Throughput is compared with 1 group in the same run; heap per group comes from the
// nodes' reports (heapUsed after a full GC, --expose-gc), relative to the 1-group run. With
// --rounds N every count is measured N times, interleaved (1, 100, …, 1, 100, …), and figures
// are medians over the rounds: single runs on a shared 2-core machine vary by ±20%. The paired
// figure is the median of each round's own ratio to that round's 1-group run.
import { defineOptions } from '../../src-main/args/options';
import { positiveIntegers } from '../../src-main/args/converters';
import type { OptionValues } from '../../src-main/args/options';
import { meanOf, pairedRatios } from '../lib/stats';
import { measureRounds, medianOver, perRound, stealByRound } from '../lib/rounds';
import { measureEngine } from '../lib/engine-nodes';
import type { EngineResult } from '../lib/engine-nodes';
import { figure } from '../lib/results';
import type { Figure } from '../lib/results';
import * as shared from '../lib/options';
import { defineScenario } from '../lib/scenario';
import type { BenchContext, ScenarioOutcome } from '../lib/scenario';

const options = defineOptions({
  groups: {
    type: 'string',
    placeholder: 'LIST',
    parse: positiveIntegers,
    default: '1,100,1000,10000',
    description: 'group counts; 1 is always measured first',
  },
  receivers: shared.receivers(2),
  duration: shared.duration(4),
  warmup: shared.warmup(1),
  size: shared.size(),
  rate: shared.rate(0),
  rounds: shared.rounds(5, 'count'),
  'node-args': shared.nodeArgs,
});

const KB = 1024;
type Runs = readonly (EngineResult | undefined)[] | undefined;
const mb = (bytes: number | null): number | null => (bytes === null ? null : bytes / KB / KB);

async function run(values: OptionValues<typeof options>, context: BenchContext): Promise<ScenarioOutcome> {
  const counts = [1, ...values.groups.filter((g) => g !== 1)];
  const { receivers, duration: windowSec, warmup: warmupSec, size, rate, rounds } = values;
  const nodeArgs = values['node-args'] ?? [];
  const parameters = {
    rounds,
    groups: counts,
    receivers,
    windowSec,
    warmupSec,
    messageBytes: size,
    rate: rate || 'max',
    nodeArgs: nodeArgs.join(' '),
  };
  const errors: string[] = [];
  const notes: string[] = [];
  const results = await measureRounds(
    counts,
    rounds,
    (groups) => `${groups} group(s)`,
    (groups, tag) => {
      context.progress(`engine, ${receivers} receiver(s), ${groups} group(s)${tag}…`);
      return measureEngine({
        root: context.root,
        receivers,
        size,
        rate,
        warmupSec,
        windowSec,
        nodeArgs,
        groups,
        exposeGc: true,
        readyTimeoutMs: 30_000 + groups * 20,
        progress: context.progress,
      });
    },
    { errors, notes },
  );

  /** The median over the rounds of a figure of one count's runs. */
  const med =
    (get: (r: EngineResult) => number | null) =>
    (runs: Runs): number | null =>
      medianOver(runs, get);
  const one = results.get(1);
  const base = 'same run, 1 group';
  const receiverHeap = (r: EngineResult): number | null => meanOf(r.receivers.map((x) => x.heapUsed));
  const senderHeap = med((r) => r.senderHeapUsed ?? null);
  const receiversHeap = med(receiverHeap);
  const perGroup = (heap: number | null, baseHeap: number | null, groups: number): number | null =>
    heap !== null && baseHeap !== null ? (heap - baseHeap) / (groups - 1) / KB : null;
  // Each against the same figure of the 1-group run.
  const compared: [string, string, (runs: Runs) => number | null][] = [
    ['msgs/s per receiver (mean)', 'msgs/s', med((r) => r.meanMsgsPerSec ?? null)],
    ['msgs/s per receiver (min)', 'msgs/s', med((r) => r.minMsgsPerSec ?? null)],
    ['token round-trip time (mean)', 'ms', med((r) => r.tokenRttMs ?? null)],
    ['sender heap used at exit', 'MB', (runs) => mb(senderHeap(runs))],
    ['receiver heap used at exit (mean)', 'MB', (runs) => mb(receiversHeap(runs))],
  ];
  const figures: Figure[] = [];
  for (const groups of counts) {
    const r = results.get(groups);
    const missing = r?.some(Boolean) ? {} : { note: 'failed, see Errors' };
    const label = `${groups} group${groups === 1 ? '' : 's'}`;
    for (const [what, unit, get] of compared) {
      figures.push(
        figure({
          name: `${label}: ${what}`,
          unit,
          value: get(r),
          baselineName: base,
          baseline: get(one),
          ...missing,
        }),
      );
    }
    if (groups > 1) {
      figures.push(
        figure({
          name: `${label}: sender heap per extra group`,
          unit: 'KB/group',
          value: perGroup(senderHeap(r), senderHeap(one), groups),
        }),
        figure({
          name: `${label}: receiver heap per extra group (mean)`,
          unit: 'KB/group',
          value: perGroup(receiversHeap(r), receiversHeap(one), groups),
        }),
      );
    }
  }
  if (rounds > 1) {
    // Every round's own ratio too: the spread says how far one run can be trusted, and their
    // median pairs each G-group run with the 1-group run of its own round.
    const msgsPerSec = (r: EngineResult): number | null => r.meanMsgsPerSec;
    for (const groups of counts.filter((g) => g !== 1)) {
      const paired = pairedRatios(perRound(results.get(groups), msgsPerSec), perRound(one, msgsPerSec));
      figures.push(
        figure({
          name: `${groups} groups: msgs/s per receiver (mean), median of the ${rounds} rounds' own ratios`,
          unit: '×',
          value: paired.median,
          baselineName: 'same round, 1 group',
          baseline: 1,
        }),
      );
      const steal = stealByRound(results.get(groups), one);
      notes.push(
        `${groups} groups vs 1 group, msgs/s per receiver (mean), round by round: ` +
          paired.ratios.map((x) => (x === null ? 'n/a' : x.toFixed(2))).join(', ') +
          (steal ? `; CPU stolen by the host during the ${groups}-group / 1-group run, %: ${steal}` : ''),
      );
    }
  }
  notes.push(
    'Heap: `memory.heapUsed` of each node’s --report, written at exit after a full GC (nodes run ' +
      'with --expose-gc); per extra group = (heap at G groups − heap at 1 group) / (G − 1). ' +
      'Peak heap and RSS are in details (memory.peakHeapUsed, peakRss).',
  );
  return { parameters, figures, notes, errors, details: Object.fromEntries(results) };
}

export const scenario = defineScenario({
  name: 'groups',
  summary: 'throughput and heap per group at 1, 100, 1 000, 10 000 groups in one region, vs 1 group',
  about:
    'One sender, N receivers, all in every group (one region); the sender round-robins over the ' +
    'groups. Throughput relative to 1 group; sender and receiver heap per group.',
  options,
  run,
});
