import { describe, expect, it } from 'vitest';
import type { MembershipState, NodeInfo } from '../membership';
import { StaticMembership, StaticMembershipTable } from './static';
import { mappingErrors, summarize } from './testing/summary';

const node = (n: number): NodeInfo => ({ id: `127.0.0.1:${9000 + n}/1`, host: '127.0.0.1', port: 9000 + n });

describe('StaticMembershipTable', () => {
  it('computes the same views as the GMS and installs a new epoch on join/leave', () => {
    const table = new StaticMembershipTable(
      [
        { node: node(1), groups: ['A'] },
        { node: node(2), groups: ['A', 'B'] },
      ],
      { epoch: 10 },
    );
    const one = table.source(node(1));
    const two = table.source(node(2));
    expect(one.current.epoch).toBe(10);
    expect(summarize(two.current)).toEqual({
      groups: { A: [node(1).id, node(2).id], B: [node(2).id] },
      regions: { A: [node(1).id], 'A+B': [node(2).id] },
    });
    const seen: MembershipState[] = [];
    one.onState((s) => seen.push(s));
    two.leave('B');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.epoch).toBe(11);
    expect(summarize(one.current)).toEqual({
      groups: { A: [node(1).id, node(2).id] },
      regions: { A: [node(1).id, node(2).id] },
    });
    const region = one.current.regions[0];
    // The region {A} gained a member: same id and multicast, next view id.
    expect(region?.viewId).toBe(11);
    expect(mappingErrors(one.current)).toEqual([]);
    table.remove(node(2).id);
    expect(summarize(one.current).groups).toEqual({ A: [node(1).id] });
    expect(one.current.regions[0]?.viewId).toBe(12);
  });

  it('StaticMembership.of serves a single node', async () => {
    const source = StaticMembership.of([{ node: node(1), groups: ['X'] }], node(1));
    expect(source.current.groups.map((g) => g.group)).toEqual(['X']);
    source.join('Y');
    expect(source.current.groups.map((g) => g.group)).toEqual(['X', 'Y']);
    await source.close();
  });
});
