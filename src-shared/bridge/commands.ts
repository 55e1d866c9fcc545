// Runtime knowledge of the bridge contract that protocol.ts holds only as types: shells
// validate untrusted frames against it before anything reaches the host.
import type { CommandName } from './protocol';

const COMMANDS = {
  hello: true,
  templates: true,
  open: true,
  create: true,
  close: true,
  act: true,
  checkDrop: true,
} as const satisfies Record<CommandName, true>;

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(COMMANDS, value);
}
