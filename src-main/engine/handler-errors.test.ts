// A node whose handlers throw: the exception is counted in its stats and passed to the
// onError hook, and delivery goes on to the other handlers and the later messages.

import { afterEach, describe, expect, it } from 'vitest';
import { StaticMembership } from './gms/static';
import type { HandlerCall } from './handler-errors';
import { QsmNode } from './node';
import { waitFor } from '../../testing/wait';
import { freeUdpPort } from './testing/harness';

const nodes: QsmNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

/** One node, alone in group 'g': its own messages come back through the loopback path. */
async function loneNode(onError?: (error: unknown, where: HandlerCall) => void) {
  const port = await freeUdpPort();
  const self = { id: `127.0.0.1:${port}/solo`, host: '127.0.0.1', port };
  const base = 20000 + Math.floor(Math.random() * 9000);
  const membership = StaticMembership.of([{ node: self, groups: ['g'] }], self, {
    multicast: {
      cidr: `239.255.${Math.floor(Math.random() * 250)}.0/24`,
      portMin: base,
      portMax: base + 500,
    },
  });
  const node = await QsmNode.create({ membership, tokenIntervalMs: 50, ...(onError ? { onError } : {}) });
  nodes.push(node);
  return { node, membership };
}

describe('handler errors', () => {
  it('are counted and reported through onError; the other handlers and later messages are still delivered', async () => {
    const reported: [unknown, HandlerCall][] = [];
    const { node } = await loneNode((error, where) => reported.push([error, where]));
    const bad = new Error('cannot handle 1');
    const all: number[] = [];
    const inGroup: number[] = [];
    node.onMessage((_g, _s, data) => {
      if (data[0] === 1) throw bad;
      all.push(data[0]!);
    });
    node.onGroupMessage('g', (_s, data) => {
      if (data[0] === 1) throw bad;
    });
    node.onGroupMessage('g', (_s, data) => inGroup.push(data[0]!));
    for (const n of [1, 2, 3]) await node.send('g', Uint8Array.of(n));
    await waitFor('three messages in the group', () => inGroup.length === 3);
    expect(inGroup).toEqual([1, 2, 3]);
    expect(all).toEqual([2, 3]);
    expect(node.stats().handlerErrors).toBe(2);
    expect(reported).toEqual([
      [bad, { handler: 'message', group: 'g', sender: node.id }],
      [bad, { handler: 'message', group: 'g', sender: node.id }],
    ]);
  });

  it('of view handlers are counted and reported too', async () => {
    const reported: HandlerCall[] = [];
    const { node, membership } = await loneNode((_e, where) => reported.push(where));
    const views: number[] = [];
    node.onView(() => {
      throw new Error('cannot handle a view');
    });
    node.onView((state) => views.push(state.epoch));
    membership.join('h');
    expect(views).toHaveLength(1);
    expect(node.stats().handlerErrors).toBe(1);
    expect(reported).toEqual([{ handler: 'view' }]);
  });

  it('are counted without a hook, and a hook that throws does not stop delivery', async () => {
    const quiet = await loneNode();
    const loud = await loneNode(() => {
      throw new Error('the hook fails too');
    });
    for (const { node } of [quiet, loud]) {
      const got: number[] = [];
      node.onGroupMessage('g', (_s, data) => {
        if (data[0] === 1) throw new Error('cannot handle 1');
      });
      node.onGroupMessage('g', (_s, data) => got.push(data[0]!));
      for (const n of [1, 2]) await node.send('g', Uint8Array.of(n));
      await waitFor('both messages', () => got.length === 2);
      expect(got).toEqual([1, 2]);
      expect(node.stats().handlerErrors).toBe(1);
    }
  });
});
