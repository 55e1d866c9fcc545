// Scenario `engine` (`receivers` without NATS and 8 receivers): QSM reliable multicast throughput
// against raw UDP IP multicast on loopback, 1, 2, 4 receivers, plus token round-trip time.
import { compareOptions, runComparison } from '../lib/compare';
import type { CompareDefaults } from '../lib/compare';
import { defineScenario } from '../lib/scenario';

const defaults: CompareDefaults = { receivers: [1, 2, 4], duration: 5, warmup: 1, probes: 3, nats: false };

export const scenario = defineScenario({
  name: 'engine',
  summary: 'QSM engine throughput and token RTT vs raw UDP multicast on loopback (1, 2, 4 receivers)',
  about: 'Raw UDP multicast (baseline) vs the QSM engine, 1 sender, N receiver processes, on loopback.',
  options: compareOptions(defaults),
  run: (values, context) => runComparison(values, context, defaults),
});
