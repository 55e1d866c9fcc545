// The broker baseline: NATS core pub/sub through a `nats-server` the benchmark starts on a free
// port of the broker's address (loopback, or a simulated machine's), one publisher process and N
// subscriber processes (the `nats` npm client).
import { ManagedProcess } from '../../testing/processes';
import { ON_LOOPBACK } from './placement';
import type { Placement } from './placement';
import { bestTrial, runTrials, tsxProcess, waitReady } from './trials';
import type { Trial, TrialOptions } from './trials';

export { NATS_INSTALL_HINT, findNatsServer } from '../../testing/nats';

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
