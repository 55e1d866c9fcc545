// Scenario `space3d`: the 3D renderer and host under N aircraft streaming at 10 Hz (100, 500,
// 2 000), in Chromium with WebGL through SwiftShader; ratios against the smallest N.
import type { Options } from '../lib/args';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/scenario';

const usage = `Usage: npm run bench -- space3d [options]

N simulated aircraft (flights objects, ≤ 1000 each) published by one host and shown by a
second host's page (Tracks3D) in Chromium with WebGL via SwiftShader (/usr/bin/chromium;
CHROMIUM_PATH overrides). Per N: frame time p50/p95, viewer host CPU per sample, samples and
bridge frames per second, publisher CPU; ratios against the first N.

Options:
  --counts LIST   aircraft counts (default 100,500,2000)
  --rate HZ       samples per aircraft per second (default 10)
  --warmup S      seconds after every track is shown, not measured (default 3)
  --duration S    measured window per count (default 10)
  --settle S      at most this long for every track to show (default 45)
  --out DIR       results directory (default bench/results)`;

async function run(options: Options, context: BenchContext): Promise<ScenarioOutcome> {
  const { runSpace3d } = await import('../space3d/run');
  return runSpace3d(options, context);
}

export const scenario: Scenario = {
  name: 'space3d',
  summary: '3D renderer frame time and host CPU per sample at 100/500/2000 aircraft streaming at 10 Hz',
  usage,
  run,
};
