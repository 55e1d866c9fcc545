// Scenario `app`: the desktop app as a user meets it, in Chromium driven by playwright-core.
// 1. Time to interactive of a `.liveobject` desktop holding a note, opened with
//    `liveobjects serve FILE`: process start → interactive and page navigation → interactive.
// 2. Keystroke → remote display latency between N pages of N host processes sharing a note,
//    next to the same editor (CodeMirror + y-codemirror.next) over Yjs's y-websocket, in the
//    same run, browser to browser on both sides.
import type { Options } from '../lib/args';
import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/scenario';

const usage = `Usage: npm run bench -- app [options]

Time to interactive of a desktop .liveobject in the web shell, and keystroke → remote display
latency between browser pages of N host processes, next to the same editor over Yjs +
y-websocket (standard server), measured in the same run. Chromium: /usr/bin/chromium
(CHROMIUM_PATH overrides).

Options:
  --reps N           time-to-interactive repetitions, each a fresh process (default 3)
  --nodes LIST       node counts for the latency runs (default 2,4)
  --keys N           measured keystrokes per latency run (default 150)
  --rate N           typing pace, keystrokes/s (default 20)
  --warmup N         warm-up keystrokes, typed and awaited first, not measured (default 10)
  --skip-tti         no time-to-interactive part
  --skip-latency     no latency part
  --skip-baseline    no Yjs + y-websocket baseline
  --out DIR          results directory (default bench/results)`;

async function run(options: Options, context: BenchContext): Promise<ScenarioOutcome> {
  const { runApp } = await import('../app/run');
  return runApp(options, context);
}

export const scenario: Scenario = {
  name: 'app',
  summary: 'desktop time to interactive, and keystroke → remote display latency vs Yjs + y-websocket',
  usage,
  run,
};
