// Converters of option values shared by every program's option table (options.ts): numbers
// within bounds, sizes, ports, HOST:PORT, lists. Each throws ValueError saying what it expected,
// which the parser turns into "--name expects …, got '…'".

/** Thrown by a converter: `expected` completes "--name expects …, got 'text'". */
export class ValueError extends Error {
  constructor(readonly expected: string) {
    super(`expected ${expected}`);
  }
}

/** Turns an option's text into its value, or throws ValueError. */
export type Converter<T> = (text: string) => T;

/** Any text (parseArgs already refused an empty one). */
export const text: Converter<string> = (value) => value;

interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** What it is, for the error: e.g. 'a port 0-65535'. */
  readonly expected?: string;
}

function expectedNumber({ min, max, integer }: NumberRule): string {
  const noun = integer ? 'integer' : 'number';
  const some = integer ? 'an integer' : 'a number';
  if (min !== undefined && max !== undefined) return `${some} from ${min} to ${max}`;
  if (min === 0) return `a non-negative ${noun}`;
  if (min === 1 && integer) return 'a positive integer';
  if (min !== undefined) return `${some} ≥ ${min}`;
  return some;
}

/** A decimal number, checked against the rule. */
export function number(rule: NumberRule = {}): Converter<number> {
  const expected = rule.expected ?? expectedNumber(rule);
  return (value) => {
    const n = Number(value);
    const ok =
      value.trim() !== '' &&
      Number.isFinite(n) &&
      (!rule.integer || Number.isInteger(n)) &&
      n >= (rule.min ?? -Infinity) &&
      n <= (rule.max ?? Infinity);
    if (!ok) throw new ValueError(expected);
    return n;
  };
}

/** Non-negative numbers: counts, rates, durations, fractions of them. */
export const nonNegative = number({ min: 0 });
export const positiveInteger = number({ min: 1, integer: true });
export const port = number({ min: 0, max: 65535, integer: true, expected: 'a port 0-65535' });

const BYTE_UNITS: Readonly<Record<string, number>> = { '': 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };

/** A size in bytes: `1400`, `32KiB`, `64 MiB`. */
export const bytes: Converter<number> = (value) => {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]ib)?$/i.exec(value.trim());
  const n = match ? Number(match[1]) * (BYTE_UNITS[(match[2] ?? '').toLowerCase()] ?? NaN) : NaN;
  if (!Number.isSafeInteger(n)) throw new ValueError('a size in bytes, e.g. 1400 or 32KiB');
  return n;
};

/** A comma-separated list of non-empty items: `g1,g2`. */
export const list: Converter<string[]> = (value) => {
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new ValueError('a comma-separated list, e.g. a,b');
  return items;
};

/** A comma-separated list of positive integers: `1,2,4`. */
export const positiveIntegers: Converter<number[]> = (value) => {
  const items = value.split(',').map((s) => Number(s.trim()));
  if (items.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new ValueError('a comma-separated list of positive integers, e.g. 1,2,4');
  }
  return items;
};

/** Space-separated words: `--node-args="--latency --size 64"`. */
export const words: Converter<string[]> = (value) => value.split(' ').filter(Boolean);

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** `host:port` or `[v6]:port`. */
export const hostPort: Converter<HostPort> = (value) => {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(value) ?? /^([^:]+):(\d+)$/.exec(value);
  const p = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(p) || p > 65535) throw new ValueError('HOST:PORT');
  return { host: match[1], port: p };
};
