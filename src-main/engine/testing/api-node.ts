// A node driven through the engine API (not the CLI), for multi-process tests of graceful
// leave and close. Run with
//   node --import tsx api-node.ts --gms HOST:PORT --group G --count N [--size B]
//        [--wait-members M] [--then leave|close]
// It joins G, waits for M members, sends N messages as fast as flow control allows, then
// leaves G gracefully (or closes), printing JSON lines: ready, sent, left/closed, and exits.

import { startNode } from '../index';
import { payload } from './harness';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function print(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

const [host = '127.0.0.1', port = '0'] = option('--gms', '').split(':');
const group = option('--group', 'a');
const count = Number(option('--count', '1000'));
const size = Number(option('--size', '32'));
const waitMembers = Number(option('--wait-members', '1'));
const then = option('--then', 'leave');

const started = await startNode({ gms: { host, port: Number(port) }, join: [group], tokenIntervalMs: 50 });
const { node } = started;
print({ t: 'ready', id: node.id });
await new Promise<void>((resolve) => {
  const ready = (): boolean =>
    (node.view?.groups.find((g) => g.group === group)?.members.length ?? 0) >= waitMembers;
  if (ready()) return resolve();
  const off = node.onView(() => {
    if (ready()) {
      off();
      resolve();
    }
  });
});
for (let i = 0; i < count; i++) await node.send(group, payload(i, size));
print({ t: 'sent', count, held: node.stats().senderHeldMessages });
const t0 = performance.now();
if (then === 'leave') {
  await node.leave(group);
  const held = node.stats().senderHeldMessages;
  print({ t: 'left', ms: Math.round(performance.now() - t0), held });
  // A failed flush: dump what the engine knows, so a test failure shows where it stalled.
  if (held > 0) print({ t: 'diag', stats: node.stats(), view: node.view });
}
await started.close();
print({ t: 'closed', ms: Math.round(performance.now() - t0) });
process.exit(0);
