// A node driven through the engine API (not the CLI), for multi-process tests of graceful
// leave and close. Run with
//   node --import tsx api-node.ts --gms HOST:PORT --group G --count N [--size B]
//        [--wait-members M] [--then leave|close]
// It joins G, waits for M members, sends N messages as fast as flow control allows, then
// leaves G gracefully (or closes), printing JSON lines: ready, sent, left/closed, and exits.

import { parseArgs } from 'node:util';
import { startNode } from '../index';
import { payload } from './harness';

function print(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

// A test fixture: node:util's parser alone (the engine does not import the CLI's option tables).
const string = (fallback: string) => ({ type: 'string', default: fallback }) as const;
const { values } = parseArgs({
  options: {
    gms: string(''),
    group: string('a'),
    count: string('1000'),
    size: string('32'),
    'wait-members': string('1'),
    then: string('leave'),
  },
});
const [host = '127.0.0.1', port = '0'] = values.gms.split(':');
const { group, then } = values;
const count = Number(values.count);
const size = Number(values.size);
const waitMembers = Number(values['wait-members']);

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
