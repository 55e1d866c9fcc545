// Child processes for multi-process GMS tests: the real `liveobjects gms` command and member
// processes (member-process.ts). Every process started here is tracked so a test's afterEach
// can kill whatever is left, even stopped ones.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MembershipState } from '../../membership';
import { waitFor } from './wait';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const memberScript = fileURLToPath(new URL('./member-process.ts', import.meta.url));
const running = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** SIGKILLs every child still running (SIGKILL also ends stopped processes). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

function collectLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) onLine(line);
  });
}

export interface GmsProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly log: string[];
}

/** Runs `liveobjects gms --listen 127.0.0.1:PORT …`; resolves once it listens. */
export async function spawnGms(port: number, extra: readonly string[] = []): Promise<GmsProcess> {
  const args = ['bin/liveobjects.js', 'gms', '--listen', `127.0.0.1:${port}`, ...extra];
  const child = track(spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] }));
  const log: string[] = [];
  let bound = 0;
  collectLines(child.stderr, (line) => {
    log.push(line);
    const match = /listening on 127\.0\.0\.1:(\d+)/.exec(line);
    if (match) bound = Number(match[1]);
  });
  await waitFor(() => bound !== 0 || child.exitCode !== null, 'the GMS to listen', 15_000);
  if (!bound) throw new Error(`gms exited with ${child.exitCode}:\n${log.join('\n')}`);
  return { child, port: bound, log };
}

export interface MemberProcess {
  readonly child: ChildProcess;
  readonly id: string;
  readonly states: MembershipState[];
  readonly log: string[];
  latest(): MembershipState | undefined;
  send(command: string): void;
}

/** Starts a member in `groups`; resolves once it printed its node id. */
export async function spawnMember(gmsPort: number, groups: readonly string[]): Promise<MemberProcess> {
  const args = [
    '--import',
    'tsx',
    memberScript,
    '--gms',
    `127.0.0.1:${gmsPort}`,
    '--groups',
    groups.join(','),
  ];
  const child = track(spawn(process.execPath, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] }));
  const states: MembershipState[] = [];
  const log: string[] = [];
  let id = '';
  collectLines(child.stdout, (line) => {
    const event = JSON.parse(line) as { type: string; id?: string } & MembershipState;
    if (event.type === 'ready') id = event.id ?? '';
    else if (event.type === 'state') states.push(event);
  });
  collectLines(child.stderr, (line) => log.push(line));
  await waitFor(() => id !== '' || child.exitCode !== null, 'a member to start', 15_000);
  if (!id) throw new Error(`member exited with ${child.exitCode}:\n${log.join('\n')}`);
  return {
    child,
    id,
    states,
    log,
    latest: () => states[states.length - 1],
    send: (command) => child.stdin?.write(command + '\n'),
  };
}
