// Option parsing shared by the runner and the scenarios: `--name value`, `--name=value`, `--flag`.
// Kept tiny on purpose; scenarios read options through the typed helpers below.

export type Options = ReadonlyMap<string, string | true>;

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: Options;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      options.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      options.set(arg.slice(2), next);
      i++;
    } else {
      options.set(arg.slice(2), true);
    }
  }
  return { positionals, options };
}

export class OptionError extends Error {}

export function numberOption(options: Options, name: string, fallback: number): number {
  const raw = options.get(name);
  if (raw === undefined) return fallback;
  const value = raw === true ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new OptionError(`--${name} expects a non-negative number, got '${String(raw)}'`);
  }
  return value;
}

export function numberListOption(options: Options, name: string, fallback: readonly number[]): number[] {
  const raw = options.get(name);
  if (raw === undefined) return [...fallback];
  const values = raw === true ? [] : raw.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new OptionError(`--${name} expects a comma-separated list of positive integers, e.g. 1,2,4`);
  }
  return values;
}

export function flagOption(options: Options, name: string): boolean {
  const raw = options.get(name);
  return raw === true || raw === 'true' || raw === '1';
}

export function stringOption(options: Options, name: string, fallback: string): string {
  const raw = options.get(name);
  if (raw === undefined) return fallback;
  if (raw === true) throw new OptionError(`--${name} expects a value`);
  return raw;
}

/** A space-separated list, e.g. `--node-args "--latency --rcvbuf 8388608"`; empty when absent. */
export function wordsOption(options: Options, name: string): string[] {
  return stringOption(options, name, '').split(' ').filter(Boolean);
}
