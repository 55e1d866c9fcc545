// A `liveobjects` sub-command: its option table gives its usage, `--help` and the checks of its
// arguments, so that every command answers bad input the same way (a message, exit code 2).
import { asksForHelp, parseOptions, usageErrorText, usageText, UsageError } from '../args/options';
import type { ArgumentsSpec, OptionTable, Parsed } from '../args/options';

export interface Command {
  /** One line shown by `liveobjects help`. */
  readonly summary: string;
  /** Shown on `--help`; generated from the option table. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: readonly string[]): Promise<number>;
}

export interface CommandSpec<S extends OptionTable, A> {
  /** As typed after `liveobjects`. */
  readonly name: string;
  readonly summary: string;
  /** What follows `liveobjects NAME` in the usage line, e.g. `--gms HOST:PORT [options]`. */
  readonly synopsis: string;
  readonly about?: string;
  readonly arguments?: ArgumentsSpec;
  readonly options: S;
  readonly notes?: string;
  /** The command's arguments from the parsed ones; throws UsageError for what the table does
   * not check (a file that is not there, options that contradict each other). */
  read(parsed: Parsed<S>, cwd: string): A;
  run(args: A): Promise<number>;
}

export interface DefinedCommand<A> extends Command {
  /** argv → the command's arguments, or UsageError (for tests and other callers). */
  parse(argv: readonly string[], cwd?: string): A;
}

export function defineCommand<const S extends OptionTable, A>(spec: CommandSpec<S, A>): DefinedCommand<A> {
  const program = `liveobjects ${spec.name}`;
  const synopsis = spec.synopsis ? `${program} ${spec.synopsis}` : program;
  const usage = usageText({
    usage: synopsis,
    options: spec.options,
    ...(spec.about !== undefined && { about: spec.about }),
    ...(spec.arguments !== undefined && { arguments: spec.arguments }),
    ...(spec.notes !== undefined && { notes: spec.notes }),
  });
  const parse = (argv: readonly string[], cwd = process.cwd()): A =>
    spec.read(
      parseOptions(spec.options, argv, spec.arguments !== undefined ? { arguments: spec.arguments } : {}),
      cwd,
    );
  return {
    summary: spec.summary,
    usage,
    parse,
    async run(argv) {
      if (asksForHelp(spec.options, argv)) {
        console.log(usage);
        return 0;
      }
      let args: A;
      try {
        args = parse(argv);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        console.error(usageErrorText(program, error, `${program} --help`, synopsis));
        return 2;
      }
      return spec.run(args);
    },
  };
}
