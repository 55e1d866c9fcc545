// Runtime knowledge of the bridge contract that protocol.ts holds only as types: shells
// validate untrusted frames against it before anything reaches the host.
import type { CommandName } from '../../../src-shared/bridge/protocol';

const COMMANDS = {
  hello: true,
  templates: true,
  open: true,
  create: true,
  close: true,
  act: true,
  checkDrop: true,
} as const satisfies Record<CommandName, true>;

// `satisfies` fails to compile when protocol.ts gains a command this list lacks.
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(COMMANDS, value);
}

/** Arguments of every command are a JSON object; anything else never reaches the host. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The message of whatever a host call rejected with, as shown to the user. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : 'unknown error';
}
