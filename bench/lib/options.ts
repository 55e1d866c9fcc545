// Options that several scenarios take, declared once (parsing and usage: src-main/args/options.ts);
// a scenario imports them as `shared` and names them in its table: `duration: shared.duration(4)`.
import { bytes, nonNegative, positiveInteger, words } from '../../src-main/args/converters';

/** A duration in seconds. */
export const seconds = (sec: number, description: string) =>
  ({ type: 'string', placeholder: 'SEC', parse: nonNegative, default: String(sec), description }) as const;

/** `--duration SEC`: the measurement window. */
export const duration = (sec: number, description = 'measurement window') => seconds(sec, description);

/** `--warmup SEC`: not measured. */
export const warmup = (sec: number, description = 'warm-up after the first delivery') =>
  seconds(sec, description);

/** `--size BYTES`: message size. */
export const size = (description = 'message size') =>
  ({ type: 'string', placeholder: 'BYTES', parse: bytes, default: '1024', description }) as const;

/** `--rate N`: the engine sender's rate, messages per second. */
export const rate = (rate: number, description = 'sender rate, msgs/s; 0 = as fast as flow control allows') =>
  ({ type: 'string', placeholder: 'N', parse: nonNegative, default: String(rate), description }) as const;

/** `--receivers N`: how many receiver processes. */
export const receivers = (n: number) =>
  ({
    type: 'string',
    placeholder: 'N',
    parse: positiveInteger,
    default: String(n),
    description: 'receiver processes',
  }) as const;

/** `--rounds N`: every configuration N times, interleaved; figures are medians over them. */
export const rounds = (n: number, what: string) =>
  ({
    type: 'string',
    placeholder: 'N',
    parse: positiveInteger,
    default: String(n),
    description: `measure each ${what} N times, interleaved; figures are medians`,
  }) as const;

export const nodeArgs = {
  type: 'string',
  placeholder: '"ARGS"',
  parse: words,
  description:
    'extra arguments for every `liveobjects node`, space-separated; written --node-args="--x …" ' +
    'when they start with a dash',
} as const;

export const skipRaw = {
  type: 'boolean',
  description: 'no raw UDP multicast baseline (its ratios become n/a)',
} as const;
