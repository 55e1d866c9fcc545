// Randomized: delays, join times, senders, chunk sizes and a graceful leave. Whatever the
// interleaving, every live member must end with the same, complete, duplicate-free state.

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../channel/memory-network';
import { addNode, convergenceProblems, stream } from './test-helpers';
import type { TestNode } from './test-helpers';

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  maxDelayMs: fc.integer({ min: 1, max: 40 }),
  founders: fc.integer({ min: 1, max: 3 }),
  joinAt: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 4 }),
  joinersSend: fc.boolean(),
  leaveAt: fc.option(fc.integer({ min: 0, max: 700 }), { nil: undefined }),
  chunkSize: fc.constantFrom(16, 256, 32 * 1024),
  /** Extra per-member view installation lag: widens the window for pre-view updates. */
  viewLagMs: fc.integer({ min: 0, max: 60 }),
  providerWaitMs: fc.constantFrom(0, 1_000),
});

describe('CheckpointedChannel (property)', () => {
  const totals: Record<string, number> = {};
  afterAll(() => {
    if (process.env.PROPERTY_STATS) console.log(totals);
  });

  it('converges to the same complete state under random delays and join times', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const net = new MemoryNetwork({
          seed: s.seed,
          maxDelayMs: s.maxDelayMs,
          viewDelay: (m) => (m.charCodeAt(0) * 7 + m.charCodeAt(1) * s.seed) % (s.viewLagMs + 1),
        });
        const options = { chunkSize: s.chunkSize, providerWaitMs: s.providerWaitMs };
        const nodes: TestNode[] = [];
        for (let i = 0; i < s.founders; i++) nodes.push(addNode(net, `f${i}`, options));
        const stopAt = 800;
        for (const node of nodes) stream(net, node, 3 + nodes.indexOf(node), stopAt);
        s.joinAt.forEach((at, i) => {
          net.clock.setTimeout(() => {
            const joiner = addNode(net, `j${i}`, options);
            nodes.push(joiner);
            if (s.joinersSend) stream(net, joiner, 9, stopAt);
          }, at);
        });
        if (s.leaveAt !== undefined && s.founders > 1) {
          // A graceful leave (not a crash), once someone else holds the state: its sent updates
          // must still reach everyone. (If the last holder leaves, the state is lost by design.)
          const leaver = nodes[0];
          const leave = (): void => {
            const other = nodes.some((n) => n !== leaver && n.channel.state === 'ready');
            if (other) void leaver?.channel.close();
            else net.clock.setTimeout(leave, 10);
          };
          net.clock.setTimeout(leave, s.leaveAt);
        }
        await net.clock.advance(stopAt);
        await net.clock.runUntil(() => nodes.every((n) => n.channel.state !== 'joining'), 30_000);
        await net.clock.advance(2_000);
        // A leaver's last updates may have reached only itself (sent to a view it alone had
        // installed): agreement is required for everyone, completeness for those who stayed.
        const stayed = nodes.filter((n) => n.channel.state !== 'closed');
        expect(convergenceProblems(nodes, stayed)).toEqual([]);
        for (const n of nodes)
          for (const [k, v] of Object.entries(n.channel.stats)) totals[k] = (totals[k] ?? 0) + v;
      }),
      {
        numRuns: Number(process.env.PROPERTY_RUNS ?? 40),
        examples: [
          // A joiner that never heard from a member leaving as it joined missed that member's
          // last updates: its provider served before installing the leave (providerWaitMs 0).
          [
            {
              seed: 573502,
              maxDelayMs: 12,
              founders: 2,
              joinAt: [469],
              joinersSend: false,
              leaveAt: 481,
              chunkSize: 256,
              viewLagMs: 16,
              providerWaitMs: 0,
            },
          ],
          // A joiner whose provider f0 left before serving it founded a second state: j0, served
          // by f0 just before, was ready, but its ready status had not reached f1 yet.
          [
            {
              seed: 615913,
              maxDelayMs: 38,
              founders: 2,
              joinAt: [0, 71],
              joinersSend: false,
              leaveAt: 0,
              chunkSize: 32 * 1024,
              viewLagMs: 11,
              providerWaitMs: 0,
            },
          ],
          [
            {
              seed: 842290,
              maxDelayMs: 27,
              founders: 2,
              joinAt: [0],
              joinersSend: false,
              leaveAt: 5,
              chunkSize: 16,
              viewLagMs: 28,
              providerWaitMs: 1_000,
            },
          ],
        ],
      },
    );
  });
});
