// Scenario `app`: the desktop app as a user meets it, in Chromium driven by playwright-core.
// 1. Time to interactive of a `.liveobject` desktop holding a note, opened with
//    `liveobjects serve FILE`: process start → interactive and page navigation → interactive.
// 2. Keystroke → remote display latency between N pages of N host processes sharing a note,
//    next to the same editor (CodeMirror + y-codemirror.next) over Yjs's y-websocket, in the
//    same run, browser to browser on both sides.
import { defineOptions } from '../../src-main/args/options';
import { number, positiveInteger, positiveIntegers } from '../../src-main/args/converters';
import type { OptionValues } from '../../src-main/args/options';
import { defineScenario, runLoaded } from '../lib/scenario';

const options = defineOptions({
  reps: {
    type: 'string',
    placeholder: 'N',
    parse: positiveInteger,
    default: '3',
    description: 'time-to-interactive repetitions, each a fresh process',
  },
  nodes: {
    type: 'string',
    placeholder: 'LIST',
    parse: positiveIntegers,
    default: '2,4',
    description: 'node counts for the latency runs, 2 or more',
  },
  keys: {
    type: 'string',
    placeholder: 'N',
    parse: positiveInteger,
    default: '150',
    description: 'measured keystrokes per latency run',
  },
  rate: {
    type: 'string',
    placeholder: 'N',
    parse: number({ min: 0.5 }),
    default: '20',
    description: 'typing pace, keystrokes/s',
  },
  warmup: {
    type: 'string',
    placeholder: 'N',
    parse: number({ min: 0, integer: true }),
    default: '10',
    description: 'warm-up keystrokes, typed and awaited first, not measured',
  },
  'skip-tti': { type: 'boolean', description: 'no time-to-interactive part' },
  'skip-latency': { type: 'boolean', description: 'no latency part' },
  'skip-baseline': { type: 'boolean', description: 'no Yjs + y-websocket baseline' },
});

export type AppOptions = OptionValues<typeof options>;

export const scenario = defineScenario({
  name: 'app',
  summary: 'desktop time to interactive, and keystroke → remote display latency vs Yjs + y-websocket',
  about:
    'Time to interactive of a desktop .liveobject in the web shell, and keystroke → remote display ' +
    'latency between browser pages of N host processes, next to the same editor over Yjs + ' +
    'y-websocket (standard server), measured in the same run. Chromium: /usr/bin/chromium ' +
    '(CHROMIUM_PATH overrides).',
  options,
  run: runLoaded(async () => (await import('../app/run')).runApp),
});
