// Entry point of the `liveobjects` command: dispatches to one module per sub-command.
// Modules are imported lazily so that `liveobjects check` does not load the engine.

export interface Command {
  /** One line shown by `liveobjects help`. */
  readonly summary: string;
  /** Usage line(s), shown on `--help` and on bad arguments. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: readonly string[]): Promise<number>;
}

type CommandLoader = () => Promise<{ command: Command }>;

const commands: Record<string, CommandLoader> = {
  check: () => import('./commands/check'),
  inspect: () => import('./commands/inspect'),
  types: () => import('./commands/types'),
  gms: () => import('./commands/gms'),
  node: () => import('./commands/node'),
  serve: () => import('./commands/serve'),
};

async function printHelp(): Promise<void> {
  const lines = ['Usage: liveobjects <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(commands)) {
    const { command } = await load();
    lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  }
  lines.push('', 'Run `liveobjects <command> --help` for the options of one command.');
  console.log(lines.join('\n'));
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    await printHelp();
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`liveobjects: unknown command '${name}'. Run \`liveobjects help\` for the list.`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  return command.run(rest);
}
