// The `liveobjects` command of this checkout as tests and benchmarks run it: the CLI as a child
// process (long-running or to its end), TypeScript helper scripts through tsx, and a private
// `liveobjects gms`.
import { join, resolve } from 'node:path';
import { ManagedProcess, runCommand } from './processes';
import type { CommandResult, SpawnOptions } from './processes';

/** The repository this file belongs to. */
export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = join(ROOT, 'bin', 'liveobjects.js');

/** Spawns `node bin/liveobjects.js ARGS` (plus `nodeFlags` for node itself) from the repository. */
export function spawnCli(
  label: string,
  args: readonly string[],
  options: SpawnOptions & { readonly nodeFlags?: readonly string[] } = {},
): ManagedProcess {
  const { nodeFlags = [], ...spawnOptions } = options;
  return new ManagedProcess(label, process.execPath, [...nodeFlags, CLI, ...args], {
    cwd: ROOT,
    ...spawnOptions,
  });
}

/** Spawns a TypeScript script (helper processes of tests and benchmarks) through tsx. */
export function spawnTsx(
  label: string,
  script: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ManagedProcess {
  return new ManagedProcess(label, process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    ...options,
  });
}

/** Runs `liveobjects ARGS` to its end: exit code and output. */
export function runCli(...args: string[]): Promise<CommandResult> {
  return runCommand(process.execPath, [CLI, ...args], { cwd: ROOT });
}

/**
 * `--multicast` and `--ports` for a private GMS: a random multicast block and port range, so
 * that clusters of tests running at the same time on this machine stay apart.
 */
export function privateNetworkArgs(): string[] {
  const block = Math.floor(Math.random() * 250);
  const base = 20_000 + Math.floor(Math.random() * 9_000);
  return ['--multicast', `239.254.${block}.0/24`, '--ports', `${base}-${base + 500}`];
}

export interface GmsProcess {
  readonly proc: ManagedProcess;
  /** The invitation to the workspace it serves (`--workspace`), when it was given one. */
  readonly invitation?: string;
  /** The TCP port it listens on. */
  readonly port: number;
  /** HOST:PORT, as `--gms` takes it. */
  readonly address: string;
}

/**
 * Starts `liveobjects gms --listen HOST:PORT ARGS` (HOST 127.0.0.1 unless given, PORT 0: any free
 * one; `via` runs it elsewhere, e.g. on a simulated machine) and resolves once it says it
 * listens; a GMS that exits or stays silent is killed and the error has its output.
 */
export async function startGms(
  options: {
    readonly host?: string;
    readonly port?: number;
    readonly args?: readonly string[];
    readonly timeoutMs?: number;
    readonly via?: readonly string[];
    /** The workspace it serves (`--workspace`): an invitation file. */
    readonly invitation?: string;
  } = {},
): Promise<GmsProcess> {
  const host = options.host ?? '127.0.0.1';
  const workspace = options.invitation !== undefined ? ['--workspace', options.invitation] : [];
  const proc = spawnCli(
    'liveobjects gms',
    ['gms', '--listen', `${host}:${options.port ?? 0}`, ...workspace, ...(options.args ?? [])],
    options.via ? { via: options.via } : {},
  );
  try {
    const listening = new RegExp(`listening on ${host.replaceAll('.', '\\.')}:(\\d+)`);
    const match = await proc.waitForLine(listening, options.timeoutMs ?? 30_000);
    const port = Number(match[1]);
    return {
      proc,
      port,
      address: `${host}:${port}`,
      ...(options.invitation !== undefined && { invitation: options.invitation }),
    };
  } catch (error) {
    await proc.kill();
    throw error;
  }
}
