import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  asksForHelp,
  defineOptions,
  parseArgsConfig,
  parseOptions,
  usageErrorText,
  usageText,
  UsageError,
} from './options';
import { bytes, hostPort, list, nonNegative, number, port, positiveIntegers, words } from './converters';
import type { HostPort } from './converters';

const table = defineOptions({
  gms: { type: 'string', placeholder: 'HOST:PORT', parse: hostPort, required: true, description: 'service' },
  send: { type: 'string', placeholder: 'RATE', parse: nonNegative, default: '0', description: 'msgs/s' },
  size: { type: 'string', placeholder: 'BYTES', parse: bytes, defaultText: '32KiB', description: 'size' },
  to: { type: 'string', placeholder: 'GROUP', short: 't', description: 'group' },
  tag: { type: 'string', placeholder: 'T', multiple: true, description: 'tags' },
  fanout: { type: 'boolean', description: 'unicast' },
});

const parse = (...argv: string[]) => parseOptions(table, argv);
const problem = (...argv: string[]): string => {
  try {
    parse(...argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

describe('parseOptions', () => {
  it('converts values given as --name value, --name=value and by short alias, with defaults', () => {
    const { values, positionals } = parse('--gms', '10.0.0.1:7070', '--send=250', '-t', 'g', '--fanout');
    expect(values).toEqual({
      gms: { host: '10.0.0.1', port: 7070 },
      send: 250,
      size: undefined,
      to: 'g',
      tag: [],
      fanout: true,
    });
    expect(positionals).toEqual([]);
    expect(parse('--gms=h:1', '--size', '64KiB').values).toMatchObject({
      send: 0,
      size: 65536,
      fanout: false,
    });
  });

  it('types the values from the table', () => {
    const { values } = parse('--gms', 'h:1');
    expectTypeOf(values.gms).toEqualTypeOf<HostPort>();
    expectTypeOf(values.send).toEqualTypeOf<number>();
    expectTypeOf(values.size).toEqualTypeOf<number | undefined>();
    expectTypeOf(values.to).toEqualTypeOf<string | undefined>();
    expectTypeOf(values.tag).toEqualTypeOf<string[]>();
    expectTypeOf(values.fanout).toEqualTypeOf<boolean>();
  });

  it('keeps the last of a repeated option, every one of a multiple option', () => {
    expect(parse('--gms', 'h:1', '--send', '1', '--send', '2').values.send).toBe(2);
    expect(parse('--gms', 'h:1', '--tag', 'a', '--tag=b').values.tag).toEqual(['a', 'b']);
  });

  it('names the option and the problem', () => {
    expect(problem('--gms', 'h:1', '--foo')).toBe('unknown option --foo');
    expect(problem('--gms', 'h:1', '-x')).toBe('unknown option -x');
    expect(problem()).toBe('--gms HOST:PORT is required');
    expect(problem('--gms')).toBe('--gms needs a value');
    expect(problem('--gms=')).toBe('--gms needs a value');
    expect(problem('--gms', 'h:1', '--send', '--fanout')).toBe('--send needs a value');
    expect(problem('--gms', 'h:1', '--send', '-3')).toBe(
      "--send needs a value; one that starts with '-' is written --send=-3",
    );
    expect(problem('--gms', 'h:1', '--send=-3')).toBe("--send expects a non-negative number, got '-3'");
    expect(problem('--gms', 'h:1', '--send', 'abc')).toBe("--send expects a non-negative number, got 'abc'");
    expect(problem('--gms', 'nowhere')).toBe("--gms expects HOST:PORT, got 'nowhere'");
    expect(problem('--gms', 'h:1', '--fanout=yes')).toBe("--fanout is a flag and takes no value, got 'yes'");
    expect(problem('--gms', 'h:1', 'extra')).toBe("unexpected argument 'extra'");
  });

  it('checks positional arguments against their spec; `--` ends the options', () => {
    const files = (min: number, max: number, ...argv: string[]) =>
      parseOptions({}, argv, { arguments: { name: 'FILE', min, max } }).positionals;
    expect(files(1, Infinity, 'a', '--', '--b')).toEqual(['a', '--b']);
    expect(() => files(1, Infinity)).toThrow('expects at least one FILE, got 0');
    expect(() => files(1, 1)).toThrow('expects one FILE, got 0');
    expect(() => files(0, 1, 'a', 'b')).toThrow('takes at most one FILE, got 2');
  });

  it('skips unknown options when asked to (Electron and Chromium switches)', () => {
    const { values, positionals } = parseOptions(
      table,
      ['.', '--no-sandbox', '--gms', 'h:1', '--inspect=9229'],
      {
        allowUnknown: true,
        arguments: { name: 'FILE' },
      },
    );
    expect(values.gms).toEqual({ host: 'h', port: 1 });
    expect(positionals).toEqual(['.']);
  });

  it('accepts --help and -h anywhere before `--`, and parses the rest without it', () => {
    expect(asksForHelp(table, ['--send', 'abc', '--help'])).toBe(true);
    expect(asksForHelp(table, ['-h'])).toBe(true);
    expect(asksForHelp(table, ['--', '--help'])).toBe(false);
    expect(asksForHelp(table, ['--to=-h'])).toBe(false);
    expect(parse('--gms', 'h:1', '--help').values.gms).toEqual({ host: 'h', port: 1 });
  });

  it('gives parseArgs its config, with --help', () => {
    expect(parseArgsConfig(table)).toEqual({
      gms: { type: 'string' },
      send: { type: 'string' },
      size: { type: 'string' },
      to: { type: 'string', short: 't' },
      tag: { type: 'string', multiple: true },
      fanout: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
  });
});

describe('usageText', () => {
  it('lists every option with its value, default, and --help', () => {
    const text = usageText({
      usage: 'prog --gms HOST:PORT [options]',
      about: 'Does things.',
      arguments: { name: 'FILE', description: 'a file' },
      options: table,
      notes: 'Signals: none.',
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Usage: prog --gms HOST:PORT [options]');
    expect(text).toContain('Does things.');
    expect(text).toMatch(/^ {2}FILE +a file$/m);
    expect(text).toMatch(/^ {2}--gms HOST:PORT +service \(required\)$/m);
    expect(text).toMatch(/^ {2}--send RATE +msgs\/s \(default: 0\)$/m);
    expect(text).toMatch(/^ {2}--size BYTES +size \(default: 32KiB\)$/m);
    expect(text).toMatch(/^ {2}-t, --to GROUP +group$/m);
    expect(text).toMatch(/^ {2}--tag T +tags \(may be repeated\)$/m);
    expect(text).toMatch(/^ {2}--fanout +unicast$/m);
    expect(text).toMatch(/^ {2}-h, --help +print this help$/m);
    expect(lines.at(-1)).toBe('Signals: none.');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(96);
  });

  it('wraps long descriptions under their column', () => {
    const text = usageText({
      usage: 'prog',
      options: { long: { type: 'boolean', description: 'word '.repeat(40).trim() } },
    });
    const lines = text.split('\n').filter((l) => l.includes('word'));
    expect(lines.length).toBeGreaterThan(1);
    const column = lines[0]!.indexOf('word');
    for (const line of lines.slice(1)) expect(line.indexOf('word')).toBe(column);
  });

  it('says what was wrong, where the help is, and the usage line', () => {
    expect(
      usageErrorText('prog', new UsageError('unknown option --foo'), 'prog --help', 'prog [options]'),
    ).toBe('prog: unknown option --foo; see `prog --help`\nUsage: prog [options]');
  });
});

describe('converters', () => {
  const fails = (convert: (text: string) => unknown, text: string): string => {
    try {
      convert(text);
    } catch (error) {
      return (error as { expected: string }).expected;
    }
    throw new Error(`accepted '${text}'`);
  };

  it('reads numbers within their rule', () => {
    expect(nonNegative('0.5')).toBe(0.5);
    expect(fails(nonNegative, '')).toBe('a non-negative number');
    expect(fails(nonNegative, 'Infinity')).toBe('a non-negative number');
    expect(number({ min: 0, max: 1 })('1')).toBe(1);
    expect(fails(number({ min: 0, max: 1 }), '1.5')).toBe('a number from 0 to 1');
    expect(fails(number({ min: 1, integer: true }), '1.5')).toBe('a positive integer');
    expect(fails(number({ min: 2, integer: true }), '1')).toBe('an integer ≥ 2');
    expect(port('65535')).toBe(65535);
    expect(fails(port, '65536')).toBe('a port 0-65535');
  });

  it('reads sizes, lists and addresses', () => {
    expect(bytes('1400')).toBe(1400);
    expect(bytes('32KiB')).toBe(32768);
    expect(bytes('1.5 mib')).toBe(1572864);
    expect(fails(bytes, '32MB')).toBe('a size in bytes, e.g. 1400 or 32KiB');
    expect(fails(bytes, '0.5')).toBe('a size in bytes, e.g. 1400 or 32KiB');
    expect(list('a, b')).toEqual(['a', 'b']);
    expect(fails(list, 'a,,b')).toBe('a comma-separated list, e.g. a,b');
    expect(positiveIntegers('1,2,4')).toEqual([1, 2, 4]);
    expect(fails(positiveIntegers, 'x')).toBe('a comma-separated list of positive integers, e.g. 1,2,4');
    expect(words(' --latency  --size 64 ')).toEqual(['--latency', '--size', '64']);
    expect(hostPort('[::1]:7070')).toEqual({ host: '::1', port: 7070 });
    expect(hostPort('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    expect(fails(hostPort, 'h:70000')).toBe('HOST:PORT');
    expect(fails(hostPort, ':1')).toBe('HOST:PORT');
  });
});
