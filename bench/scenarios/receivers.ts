// Scenario `receivers`: throughput per receiver at 1, 2, 4, 8 receivers, the engine against raw
// UDP multicast (the physical limit) and NATS pub/sub (a broker), all in the same run.
import { compareOptions, natsOptions, runComparison } from '../lib/compare';
import type { CompareDefaults } from '../lib/compare';
import { defineScenario } from '../lib/scenario';

const defaults: CompareDefaults = { receivers: [1, 2, 4, 8], duration: 4, warmup: 1, probes: 2, nats: true };

export const scenario = defineScenario({
  name: 'receivers',
  summary: 'engine vs raw UDP multicast vs NATS, msgs/s and MB/s per receiver at 1, 2, 4, 8 receivers',
  about:
    'The QSM engine vs raw UDP multicast and NATS pub/sub (nats-server started by the benchmark), ' +
    '1 sender, N receiver processes, on loopback.',
  options: { ...compareOptions(defaults), ...natsOptions },
  run: (values, context) => runComparison(values, context, defaults),
});
