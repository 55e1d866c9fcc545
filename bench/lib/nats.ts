// The broker baseline: NATS core pub/sub through a `nats-server` the benchmark starts on a free
// loopback port, one publisher process and N subscriber processes (the `nats` npm client).
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { ManagedProcess } from '../../testing/processes';
import { freeTcpPort, waitForPort } from '../../testing/ports';
import { bestTrial, runTrials, tsxProcess, waitReady } from './trials';
import type { Trial, TrialOptions } from './trials';

export const NATS_INSTALL_HINT =
  'nats-server not found (looked in PATH, /usr/sbin, /usr/local/bin); install it with ' +
  '`apt-get install nats-server` (Debian/Ubuntu) or pass --nats-server PATH';

/** The nats-server binary: `explicit` if given, else the first on PATH or in the usual places. */
export function findNatsServer(explicit?: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/bin', '/usr/bin'];
  const candidates = explicit ? [explicit] : dirs.filter(Boolean).map((d) => path.join(d, 'nats-server'));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not there
    }
  }
  return null;
}

export interface NatsOptions extends Omit<TrialOptions, 'label'> {
  readonly root: string;
  readonly server: string;
  readonly receivers: number;
  readonly size: number;
}

export interface NatsResult {
  readonly receivers: number;
  readonly trials: readonly Trial[];
  readonly best: Trial;
}

export async function measureNats(opts: NatsOptions): Promise<NatsResult> {
  const port = await freeTcpPort();
  const server = new ManagedProcess('nats-server', opts.server, ['-a', '127.0.0.1', '-p', String(port)], {
    cwd: opts.root,
  });
  const helpers: ManagedProcess[] = [];
  try {
    await waitForPort(server, port, 30_000);
    const common = ['--server', `127.0.0.1:${port}`, '--subject', `bench.${process.pid}`];
    const subs = Array.from({ length: opts.receivers }, (_, i) =>
      tsxProcess(opts.root, `nats-sub#${i + 1}`, 'nats-sub.ts', common),
    );
    helpers.push(...subs);
    await waitReady(subs);
    const pub = tsxProcess(opts.root, 'nats-pub', 'nats-pub.ts', [...common, '--size', String(opts.size)]);
    helpers.push(pub);
    await waitReady([pub]);
    const trials = await runTrials(pub, subs, { ...opts, label: 'NATS' });
    return { receivers: opts.receivers, trials, best: bestTrial(trials) };
  } finally {
    await Promise.all(helpers.map((p) => p.stop(2_000)));
    await server.stop(2_000);
  }
}
