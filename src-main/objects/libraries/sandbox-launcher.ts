// Starts the process a library's code runs in: the one place that knows how. Today a Node child
// process under Node's permission model (no file system, no child processes, no workers, no
// native addons; an empty environment), speaking structured-clone IPC. In Electron the same
// binary runs as Node (ELECTRON_RUN_AS_NODE); a utilityProcess launcher would fit behind the
// same interface.
import { spawn } from 'node:child_process';
import type { HostMessage, SandboxMessage } from './sandbox-protocol';
import { sandboxMain } from './sandbox-runner';

/** The host's end of a library process. */
export interface SandboxChannel {
  send(message: HostMessage): void;
  onMessage(listener: (message: SandboxMessage) => void): void;
  /** Called once when the process is gone, with why (exit code, signal, last stderr lines). */
  onExit(listener: (reason: string) => void): void;
  /** Ends the process. */
  close(): void;
}

export type SandboxLauncher = () => SandboxChannel;

/** Heap limit of a library process, MiB. */
const HEAP_LIMIT_MB = 512;
/** Stderr kept for the exit reason. */
const KEPT_STDERR_CHARS = 2000;

/** Node's flag for its permission model: `--permission` from Node 22, experimental before. */
export function permissionFlag(nodeVersion = process.versions.node): string {
  const major = Number(nodeVersion.split('.')[0]);
  return major >= 22 ? '--permission' : '--experimental-permission';
}

/** The program text the process runs: the runner, with a stand-in for the transpiler's helper. */
export function runnerSource(): string {
  return `const __name = (f) => f;\n(${sandboxMain.toString()})((specifier) => import(specifier));\n`;
}

export const launchNodeSandbox: SandboxLauncher = () => {
  const child = spawn(
    process.execPath,
    [
      permissionFlag(),
      '--disable-warning=ExperimentalWarning',
      `--max-old-space-size=${HEAP_LIMIT_MB}`,
      '--input-type=module',
      '--eval',
      runnerSource(),
    ],
    {
      env: process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {},
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-KEPT_STDERR_CHARS);
  });
  // The library process must never keep the host's process alive on its own.
  child.unref();
  child.channel?.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  const exitListeners = new Set<(reason: string) => void>();
  let exited = false;
  const exit = (reason: string): void => {
    if (exited) return;
    exited = true;
    for (const l of exitListeners) l(reason);
  };
  child.on('error', (e) => exit(`could not start: ${e.message}`));
  child.on('exit', (code, signal) => {
    const last = stderr.trim().split('\n').slice(-3).join(' | ');
    exit(`${signal ? `killed by ${signal}` : `exited with code ${code}`}${last ? ` (${last})` : ''}`);
  });
  return {
    send(message) {
      if (!exited && child.connected) child.send(message);
    },
    onMessage(listener) {
      child.on('message', (m) => listener(m as SandboxMessage));
    },
    onExit(listener) {
      exitListeners.add(listener);
    },
    close() {
      if (!exited) child.kill('SIGKILL');
    },
  };
};
