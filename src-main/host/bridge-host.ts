// The host as the shells see it: a source of bridge sessions. Each renderer window (Electron)
// or WebSocket connection (web shell) gets one session; objects opened in a session are
// closed with it. Shells stay thin adapters over this interface (ARCHITECTURE.md).
import type { CommandName, Commands, EventName, Events } from '../../src-shared/bridge/protocol';
import type { Call } from '../../src-shared/bridge/validate';
import { parseCall } from '../../src-shared/bridge/validate';

export type BridgeEventListener = <E extends EventName>(event: E, data: Events[E]) => void;

export interface BridgeSession {
  /** Runs one command; rejects with an Error whose message is shown to the user. */
  call<C extends CommandName>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']>;
  /** Subscribes to the session's events; returns an unsubscribe function. */
  onEvent(listener: BridgeEventListener): () => void;
  /** Closes every object the session opened. */
  close(): Promise<void>;
}

export interface BridgeHost {
  openSession(shell: 'electron' | 'web'): BridgeSession;
  /** Shells hand over files the OS asked them to open (argv, open-file, second instance). */
  openFile(path: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Checks a command as it arrived from a renderer: the one place where the shells' untrusted
 * input (the command's name and arguments, every intent included) meets the bridge's schemas.
 * Throws the problem, e.g. "act: intent.x must be a number".
 */
export function checkCall(command: unknown, args: unknown): Call {
  const checked = parseCall(command, args);
  if (!checked.ok) throw new Error(checked.error);
  return checked.value;
}

/** Runs a checked command on `session`. */
export function runCall<C extends CommandName>(
  session: BridgeSession,
  call: { readonly command: C; readonly args: Commands[C]['args'] },
): Promise<Commands[C]['result']> {
  return session.call(call.command, call.args);
}
