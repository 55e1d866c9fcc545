// The physical baseline: raw UDP IP multicast between processes, with no protocol, on loopback or
// (`placement`) between simulated machines. One sender process, N receiver processes; see
// trials.ts for how rates are measured.
import { ON_LOOPBACK } from './placement';
import type { Placement } from './placement';
import { bestTrial, runTrials, tsxProcess, waitReady } from './trials';
import type { Trial, TrialOptions } from './trials';

export interface RawOptions extends Omit<TrialOptions, 'label'> {
  readonly root: string;
  readonly receivers: number;
  /** Datagram size. */
  readonly size: number;
  /** Where the sender and receivers run (default: all on loopback). */
  readonly placement?: Placement;
}

export interface RawResult {
  readonly receivers: number;
  readonly group: string;
  readonly port: number;
  readonly rcvbufBytes: number | null;
  readonly trials: readonly Trial[];
  /** The trial with the highest mean received rate. */
  readonly best: Trial;
}

export async function measureRawMulticast(opts: RawOptions): Promise<RawResult> {
  // A fresh group and port per run, away from the engine's ranges and earlier runs.
  const group = `239.255.${100 + Math.floor(Math.random() * 100)}.${1 + Math.floor(Math.random() * 250)}`;
  const port = 42000 + Math.floor(Math.random() * 8000);
  const { sender: from, receiver: to } = opts.placement ?? ON_LOOPBACK;
  const common = ['--group', group, '--port', String(port)];
  const receivers = Array.from({ length: opts.receivers }, (_, i) =>
    tsxProcess(
      opts.root,
      `udp-receiver#${i + 1}`,
      'udp-receiver.ts',
      [...common, '--iface', to(i).address],
      to(i).via,
    ),
  );
  const sender = tsxProcess(
    opts.root,
    'udp-sender',
    'udp-sender.ts',
    [...common, '--iface', from.address, '--size', String(opts.size)],
    from.via,
  );
  const all = [...receivers, sender];
  try {
    const readies = await waitReady(all);
    const rcvbuf = readies[0]?.rcvbuf;
    const trials = await runTrials(sender, receivers, { ...opts, label: 'raw UDP' });
    return {
      receivers: opts.receivers,
      group,
      port,
      rcvbufBytes: typeof rcvbuf === 'number' ? rcvbuf : null,
      trials,
      best: bestTrial(trials),
    };
  } finally {
    await Promise.all(all.map((p) => p.stop(2_000)));
  }
}
