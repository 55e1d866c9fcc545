// Scenario `engine` (`receivers` without NATS and 8 receivers): QSM reliable multicast throughput
// against raw UDP IP multicast on loopback, 1, 2, 4 receivers, plus token round-trip time.
import type { Options } from '../lib/args';
import { compareUsage, runComparison } from '../lib/compare';
import type { CompareDefaults } from '../lib/compare';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/scenario';

const defaults: CompareDefaults = { receivers: [1, 2, 4], duration: 5, warmup: 1, probes: 3, nats: false };

export const scenario: Scenario = {
  name: 'engine',
  summary: 'QSM engine throughput and token RTT vs raw UDP multicast on loopback (1, 2, 4 receivers)',
  usage: compareUsage(
    'engine',
    'Raw UDP multicast (baseline) vs the QSM engine, 1 sender, N receiver processes, on loopback.',
    defaults,
  ),
  run: (options: Options, context: BenchContext): Promise<ScenarioOutcome> =>
    runComparison(options, context, defaults),
};
