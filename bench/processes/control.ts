// Line protocol between the bench runner and its helper processes: JSON commands on stdin,
// JSON reports on stdout. A helper exits when its stdin closes, so it never outlives the runner.
import { createInterface } from 'node:readline';

export type Command = Readonly<Record<string, unknown>>;

export function emit(msg: Readonly<Record<string, unknown>>): void {
  process.stdout.write(JSON.stringify(msg) + '\n');
}

export function onCommands(handler: (cmd: Command) => void): void {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    let cmd: unknown;
    try {
      cmd = JSON.parse(line);
    } catch {
      emit({ type: 'error', message: `bad command line: ${line}` });
      return;
    }
    if (typeof cmd === 'object' && cmd !== null) handler(cmd as Command);
  });
  rl.on('close', () => process.exit(0));
}

/** Datagram header: magic + sequence number, so receivers ignore strays and can compute loss. */
export const DATAGRAM_MAGIC = 0x51534d42;
export const HEADER_BYTES = 8;
