import { describe, expect, it } from 'vitest';
import type { NodeInfo, RegionView } from '../membership';
import { needsMulticastLoop } from './udp';

const node = (host: string, port: number): NodeInfo => ({ id: `${host}:${port}/x`, host, port });
const region = (...members: NodeInfo[]): RegionView => ({
  region: 'r-1',
  viewId: 1,
  groups: ['g'],
  members,
  multicast: { address: '239.255.0.1', port: 20000 },
});

describe('needsMulticastLoop', () => {
  const self = node('10.0.0.5', 4000);
  const local = new Set(['10.0.0.5', '127.0.0.1']);

  it('is off when every other member runs on another machine', () => {
    expect(
      needsMulticastLoop([region(self, node('10.0.0.6', 4000), node('10.0.0.7', 4000))], self.id, local),
    ).toBe(false);
    expect(needsMulticastLoop([region(self)], self.id, local)).toBe(false);
    expect(needsMulticastLoop([], self.id, local)).toBe(false);
  });

  it('is on when another member of any region runs on this host, by one of its addresses or loopback', () => {
    expect(
      needsMulticastLoop([region(self, node('10.0.0.6', 1)), region(node('10.0.0.5', 4001))], self.id, local),
    ).toBe(true);
    expect(needsMulticastLoop([region(self, node('127.0.0.2', 4000))], self.id, new Set(['10.0.0.5']))).toBe(
      true,
    );
  });
});
