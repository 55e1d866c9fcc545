// The contract between the runner (bench/run.ts) and a scenario module in bench/scenarios/.
import type { OptionTable, OptionValues } from '../../src-main/args/options';
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

export interface Scenario<S extends OptionTable = OptionTable> {
  readonly name: string;
  /** One line shown by `npm run bench -- list`. */
  readonly summary: string;
  /** The paragraph of `npm run bench -- <scenario> --help` above the options. */
  readonly about: string;
  /** Its options; the runner parses them, adds `--out` and generates the usage. */
  readonly options: S;
  run(options: OptionValues<S>, context: BenchContext): Promise<ScenarioOutcome>;
}

/** Identity that keeps the option table's literal types, so `run` gets typed values. */
export function defineScenario<const S extends OptionTable>(scenario: Scenario<S>): Scenario<S> {
  return scenario;
}

type Run<V> = (values: V, context: BenchContext) => Promise<ScenarioOutcome>;

/** A `run` that imports its code only when the scenario runs (`list` imports every scenario, and
 * the browser scenarios' code is heavy). */
export function runLoaded<V>(load: () => Promise<Run<V>>): Run<V> {
  return async (values, context) => (await load())(values, context);
}

export function isScenario(value: unknown): value is Scenario {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    typeof v.summary === 'string' &&
    typeof v.about === 'string' &&
    typeof v.options === 'object' &&
    v.options !== null &&
    typeof v.run === 'function'
  );
}
