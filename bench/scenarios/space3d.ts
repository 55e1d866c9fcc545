// Scenario `space3d`: the 3D renderer and host under N aircraft streaming at 10 Hz (100, 500,
// 2 000), in Chromium with WebGL through SwiftShader; ratios against the smallest N.
import { defineOptions } from '../../src-main/args/options';
import { nonNegative, positiveIntegers } from '../../src-main/args/converters';
import type { OptionValues } from '../../src-main/args/options';
import * as shared from '../lib/options';
import { defineScenario, runLoaded } from '../lib/scenario';

const options = defineOptions({
  counts: {
    type: 'string',
    placeholder: 'LIST',
    parse: positiveIntegers,
    default: '100,500,2000',
    description: 'aircraft counts',
  },
  rate: {
    type: 'string',
    placeholder: 'HZ',
    parse: nonNegative,
    default: '10',
    description: 'samples per aircraft per second',
  },
  warmup: shared.seconds(3, 'after every track is shown, not measured'),
  duration: shared.seconds(10, 'measured window per count'),
  settle: shared.seconds(45, 'at most this long for every track to show'),
});

export type Space3dOptions = OptionValues<typeof options>;

export const scenario = defineScenario({
  name: 'space3d',
  summary: '3D renderer frame time and host CPU per sample at 100/500/2000 aircraft streaming at 10 Hz',
  about:
    "N simulated aircraft (flights objects, ≤ 1000 each) published by one host and shown by a second host's " +
    'page (Tracks3D) in Chromium with WebGL via SwiftShader (/usr/bin/chromium; CHROMIUM_PATH overrides). ' +
    'Per N: frame time p50/p95, viewer host CPU per sample, samples and bridge frames per second, ' +
    'publisher CPU; ratios against the first N.',
  options,
  run: runLoaded(async () => (await import('../space3d/run')).runSpace3d),
});
