// The contract between the runner (bench/run.ts) and a scenario module in bench/scenarios/.
import type { Options } from './args';
import type { Figure } from './results';

export interface BenchContext {
  /** Progress line on stderr (stdout is reserved for the final table). */
  progress(message: string): void;
  /** Absolute path of the repository root (for spawning `bin/liveobjects.js`). */
  readonly root: string;
}

export interface ScenarioOutcome {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly figures: readonly Figure[];
  readonly notes?: readonly string[];
  readonly errors?: readonly string[];
  readonly details?: unknown;
}

export interface Scenario {
  readonly name: string;
  /** One line shown by `npm run bench -- list`. */
  readonly summary: string;
  /** Options, shown by `npm run bench -- <scenario> --help`. */
  readonly usage: string;
  run(options: Options, context: BenchContext): Promise<ScenarioOutcome>;
}

export function isScenario(value: unknown): value is Scenario {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    typeof v.summary === 'string' &&
    typeof v.usage === 'string' &&
    typeof v.run === 'function'
  );
}
