// The broker baseline: NATS core pub/sub through a `nats-server` the benchmark starts on a free
// port of the broker's address (loopback, or a simulated machine's), one publisher process and N
// subscriber processes (the `nats` npm client).
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { ManagedProcess } from '../../testing/processes';
import { ON_LOOPBACK } from './placement';
import type { Placement } from './placement';
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
  /** Where the server, publisher and subscribers run (default: all on loopback). */
  readonly placement?: Placement;
}

export interface NatsResult {
  readonly receivers: number;
  readonly trials: readonly Trial[];
  readonly best: Trial;
}

export async function measureNats(opts: NatsOptions): Promise<NatsResult> {
  const { sender: from, receiver: to, broker } = opts.placement ?? ON_LOOPBACK;
  // -p -1: a free port, which it logs.
  const server = new ManagedProcess('nats-server', opts.server, ['-a', broker.address, '-p', '-1'], {
    cwd: opts.root,
    via: broker.via,
  });
  const helpers: ManagedProcess[] = [];
  try {
    const listening = await server.waitForLine(/Listening for client connections on (\S+:\d+)/, 30_000);
    const common = ['--server', listening[1] ?? '', '--subject', `bench.${process.pid}`];
    const subs = Array.from({ length: opts.receivers }, (_, i) =>
      tsxProcess(opts.root, `nats-sub#${i + 1}`, 'nats-sub.ts', common, to(i).via),
    );
    helpers.push(...subs);
    await waitReady(subs);
    const pub = tsxProcess(
      opts.root,
      'nats-pub',
      'nats-pub.ts',
      [...common, '--size', String(opts.size)],
      from.via,
    );
    helpers.push(pub);
    await waitReady([pub]);
    const trials = await runTrials(pub, subs, { ...opts, label: 'NATS' });
    return { receivers: opts.receivers, trials, best: bestTrial(trials) };
  } finally {
    await Promise.all(helpers.map((p) => p.stop(2_000)));
    await server.stop(2_000);
  }
}
