// Entry point of the `liveobjects` command: dispatches to one module per sub-command.
// Modules are imported lazily so that `liveobjects check` does not load the engine.
import type { Command } from './command';

export type { Command } from './command';

type CommandLoader = () => Promise<{ command: Command }>;

const commands: Record<string, CommandLoader> = {
  check: () => import('./commands/check'),
  inspect: () => import('./commands/inspect'),
  types: () => import('./commands/types'),
  gms: () => import('./commands/gms'),
  node: () => import('./commands/node'),
  serve: () => import('./commands/serve'),
  doctor: () => import('./commands/doctor'),
  invite: () => import('./commands/invite'),
  join: () => import('./commands/join'),
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
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    await printHelp();
    return name === undefined ? 2 : 0;
  }
  // `liveobjects help node` is `liveobjects node --help`.
  const [commandName, args] = name === 'help' ? [rest[0] ?? '', ['--help']] : [name, rest];
  const load = Object.hasOwn(commands, commandName) ? commands[commandName] : undefined;
  if (!load) {
    console.error(`liveobjects: unknown command '${commandName}'. Run \`liveobjects help\` for the list.`);
    return 2;
  }
  const { command } = await load();
  return command.run(args);
}
