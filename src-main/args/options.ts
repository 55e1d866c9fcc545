// Command-line options for every program of the project (`liveobjects` commands, the Electron
// app, benchmark scenarios and their helper processes): each declares its options once, in a
// table, and gets from it the `node:util` parseArgs config, typed values and its usage text.
// One syntax everywhere: `--name value` or `--name=value`, booleans as bare flags, `--` ends
// the options.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { ValueError } from './converters';
import type { Converter } from './converters';

/** Bad command-line input; the message says what was wrong. Exit code 2 by convention. */
export class UsageError extends Error {}

interface Described {
  readonly description: string;
  /** One-letter alias: `-p`. */
  readonly short?: string;
}

export interface FlagOption extends Described {
  readonly type: 'boolean';
}

export interface ValueOption<T = unknown> extends Described {
  readonly type: 'string';
  /** What the value looks like in the usage: `--gms HOST:PORT`. */
  readonly placeholder: string;
  /** Converts and checks the text; without one the value is the text. */
  readonly parse?: Converter<T>;
  /** The value when the option is absent, written as on the command line: it goes through
   * `parse` like a given value and the usage shows it as it is. */
  readonly default?: string;
  /** Shown as the default when the program leaves the choice to someone else (the engine's
   * default, the OS); the value is then undefined. */
  readonly defaultText?: string;
  readonly required?: boolean;
  /** May be given more than once; the value is then the list of them, in order. */
  readonly multiple?: boolean;
}

export type OptionSpec = FlagOption | ValueOption;
export type OptionTable = Readonly<Record<string, OptionSpec>>;

type Converted<S> = S extends { parse: Converter<infer T> } ? T : string;

/** The parsed type of one option: a flag is a boolean; a value is its converter's type, a list
 * of them with `multiple`, and possibly undefined unless it has a default or is required. */
export type OptionValue<S> = S extends FlagOption
  ? boolean
  : S extends { multiple: true }
    ? Converted<S>[]
    : S extends { default: string } | { required: true }
      ? Converted<S>
      : Converted<S> | undefined;

export type OptionValues<S extends OptionTable> = { -readonly [K in keyof S]: OptionValue<S[K]> };

export interface Parsed<S extends OptionTable> {
  readonly values: OptionValues<S>;
  readonly positionals: readonly string[];
}

/** The positional arguments a program takes, for checking and for the usage. */
export interface ArgumentsSpec {
  /** As in the usage: `FILE`. */
  readonly name: string;
  readonly description?: string;
  /** Default 0. */
  readonly min?: number;
  /** Default unlimited. */
  readonly max?: number;
}

export interface ParseSettings {
  /** Positional arguments; without this, any is an error. */
  readonly arguments?: ArgumentsSpec;
  /** Skip options the table does not know instead of failing (Electron, whose argv also holds
   * Chromium's switches). */
  readonly allowUnknown?: boolean;
}

/** Identity with the table's literal types kept, so that OptionValues can read them. */
export function defineOptions<const S extends OptionTable>(table: S): S {
  return table;
}

/** Every program answers `-h`/`--help` with its usage. */
const HELP: FlagOption = { type: 'boolean', short: 'h', description: 'print this help' };

const withHelp = (table: OptionTable): OptionTable => ({ ...table, help: HELP });

/** The `node:util` parseArgs `options` for a table (with `--help`). */
export function parseArgsConfig(table: OptionTable): NonNullable<ParseArgsConfig['options']> {
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(withHelp(table))) {
    config[name] = {
      type: spec.type,
      ...(spec.short !== undefined && { short: spec.short }),
      ...(spec.type === 'string' && spec.multiple === true && { multiple: true }),
    };
  }
  return config;
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** Non-strict parseArgs tokens: the checks below give messages that name the option. */
function tokensOf(table: OptionTable, argv: readonly string[]): Token[] {
  const { tokens } = parseArgs({
    args: [...argv],
    options: parseArgsConfig(table),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  return tokens;
}

/** True when argv asks for the usage (`-h` or `--help` before any `--`). */
export function asksForHelp(table: OptionTable, argv: readonly string[]): boolean {
  return tokensOf(table, argv).some((t) => t.kind === 'option' && t.name === 'help');
}

/** Parses argv against the table; throws UsageError saying what is wrong. `--help` is accepted
 * and ignored here (see asksForHelp). */
export function parseOptions<S extends OptionTable>(
  table: S,
  argv: readonly string[],
  settings: ParseSettings = {},
): Parsed<S> {
  const given = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  const known = (arg: string): boolean => {
    const name = arg.replace(/^--?/, '').split('=')[0] ?? '';
    return Object.hasOwn(table, name) || Object.values(table).some((s) => s.short === name);
  };
  for (const token of tokensOf(table, argv)) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option' || token.name === 'help') continue;
    const spec = Object.hasOwn(table, token.name) ? table[token.name] : undefined;
    const option = `--${token.name}`;
    if (spec === undefined) {
      if (settings.allowUnknown) continue;
      throw new UsageError(`unknown option ${token.rawName}`);
    }
    if (spec.type === 'boolean') {
      if (token.value !== undefined) {
        throw new UsageError(`${option} is a flag and takes no value, got '${token.value}'`);
      }
      flags.add(token.name);
      continue;
    }
    const text = token.value;
    if (text === undefined || text === '') throw new UsageError(`${option} needs a value`);
    // Non-strict parsing takes the next argument whatever it is; strict parseArgs refuses a
    // value that starts with a dash unless written inline.
    if (!token.inlineValue && text.startsWith('-') && text !== '-') {
      throw new UsageError(
        known(text)
          ? `${option} needs a value`
          : `${option} needs a value; one that starts with '-' is written ${option}=${text}`,
      );
    }
    const texts = given.get(token.name) ?? [];
    texts.push(text);
    given.set(token.name, texts);
  }

  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    if (spec.type === 'boolean') {
      values[name] = flags.has(name);
      continue;
    }
    const texts = given.get(name) ?? (spec.default !== undefined ? [spec.default] : []);
    if (texts.length === 0 && spec.required) {
      throw new UsageError(`--${name} ${spec.placeholder} is required`);
    }
    const converted = texts.map((text) => convert(name, spec, text));
    values[name] = spec.multiple ? converted : converted.at(-1);
  }
  checkArguments(positionals, settings.arguments);
  return { values: values as OptionValues<S>, positionals };
}

function convert(name: string, spec: ValueOption, text: string): unknown {
  if (!spec.parse) return text;
  try {
    return spec.parse(text);
  } catch (error) {
    if (error instanceof ValueError)
      throw new UsageError(`--${name} expects ${error.expected}, got '${text}'`);
    throw error;
  }
}

const howMany = (n: number, name: string): string => (n === 1 ? `one ${name}` : `${n} ${name}s`);

function checkArguments(positionals: readonly string[], spec: ArgumentsSpec | undefined): void {
  const n = positionals.length;
  if (!spec) {
    if (n > 0) throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`);
    return;
  }
  const { min = 0, max = Infinity } = spec;
  if (n < min) {
    throw new UsageError(`expects ${min === max ? '' : 'at least '}${howMany(min, spec.name)}, got ${n}`);
  }
  if (n > max) {
    throw new UsageError(
      max === 0
        ? `unexpected argument '${positionals[0] ?? ''}'`
        : `takes at most ${howMany(max, spec.name)}, got ${n}`,
    );
  }
}

// ----- usage text

export interface UsageSpec {
  /** The usage line(s) after "Usage: ", e.g. `liveobjects node --gms HOST:PORT [options]`. */
  readonly usage: string | readonly string[];
  /** A paragraph under the usage line. */
  readonly about?: string;
  readonly arguments?: ArgumentsSpec;
  readonly options: OptionTable;
  /** A paragraph after the options. */
  readonly notes?: string;
}

const WIDTH = 96;
const MAX_COLUMN = 28;

/** Words of `text` in lines of at most `width` characters (a longer word gets its own line). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/** Two columns: the left one padded, the right one wrapped and indented under itself. */
function columns(rows: readonly (readonly [string, string])[]): string[] {
  const column = Math.min(MAX_COLUMN, Math.max(...rows.map(([left]) => left.length)) + 4);
  return rows.flatMap(([left, right]) => {
    const text = wrap(right, WIDTH - column);
    const first =
      left.length + 2 < column ? [`${`  ${left}`.padEnd(column)}${text.shift() ?? ''}`] : [`  ${left}`];
    return [...first, ...text.map((line) => `${' '.repeat(column)}${line}`)];
  });
}

function describeOption(spec: OptionSpec): string {
  if (spec.type === 'boolean') return spec.description;
  const notes = [
    spec.required && 'required',
    spec.default !== undefined && `default: ${spec.default}`,
    spec.default === undefined && spec.defaultText !== undefined && `default: ${spec.defaultText}`,
    spec.multiple && 'may be repeated',
  ].filter(Boolean);
  return notes.length ? `${spec.description} (${notes.join('; ')})` : spec.description;
}

/** The usage text: usage line(s), about, arguments, every option of the table and `--help`. */
export function usageText(spec: UsageSpec): string {
  const usage = typeof spec.usage === 'string' ? [spec.usage] : spec.usage;
  const out = usage.map((line, i) => `${i === 0 ? 'Usage: ' : '       '}${line}`);
  if (spec.about) out.push('', ...wrap(spec.about, WIDTH));
  if (spec.arguments?.description) {
    out.push('', 'Arguments:', ...columns([[spec.arguments.name, spec.arguments.description]]));
  }
  const rows = Object.entries(withHelp(spec.options)).map(
    ([name, option]) =>
      [
        `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ` ${option.placeholder}` : ''}`,
        describeOption(option),
      ] as const,
  );
  out.push('', 'Options:', ...columns(rows));
  if (spec.notes) out.push('', ...wrap(spec.notes, WIDTH));
  return out.join('\n');
}

/** The lines a program prints for bad input: what was wrong, where to read more, the usage. */
export function usageErrorText(
  program: string,
  error: UsageError,
  helpCommand: string,
  usage: string,
): string {
  return `${program}: ${error.message}; see \`${helpCommand}\`\nUsage: ${usage}`;
}
