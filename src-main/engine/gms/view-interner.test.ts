import { describe, expect, it } from 'vitest';
import type { GroupView, RegionView } from '../membership';
import { ViewInterner } from './view-interner';

/** As JSON decoding makes them: fresh strings and arrays for every view. */
const decoded = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const groupView = (group: string): GroupView =>
  decoded({
    group,
    viewId: 2 ** 40 + 7,
    members: ['127.0.0.1:1/a', '127.0.0.1:2/b'],
    regions: [{ region: 'r-1', viewId: 2 ** 40 + 3 }],
  });

describe('ViewInterner', () => {
  it('rebuilds views equal to the decoded ones, sharing identical lists and names', () => {
    const interner = new ViewInterner();
    const a = interner.group(groupView('g-1'));
    const b = interner.group(groupView('g-2'));
    expect(a).toEqual(groupView('g-1'));
    expect(b).toEqual(groupView('g-2'));
    expect(a.members).toBe(b.members);
    expect(a.regions).toBe(b.regions);
    const other = interner.group({ ...groupView('g-3'), members: ['127.0.0.1:2/b'] });
    expect(other.members).not.toBe(a.members);
    expect(other.members).toEqual(['127.0.0.1:2/b']);
    expect(interner.group({ ...groupView('g-4'), regions: [{ region: 'r-1', viewId: 1 }] }).regions).not.toBe(
      a.regions,
    );
  });

  it('keeps only the fields the engine reads, and region views share group names and members', () => {
    const interner = new ViewInterner();
    const region: RegionView = decoded({
      region: 'r-1',
      viewId: 5,
      groups: ['g-1', 'g-2'],
      members: [{ id: '127.0.0.1:1/a', host: '127.0.0.1', port: 1 }],
      multicast: { address: '239.255.0.1', port: 30000 },
    });
    const withExtra = { ...region, extra: 'x', multicast: { ...region.multicast, ttl: 9 } } as RegionView;
    const r = interner.region(withExtra);
    expect(r).toEqual(region);
    expect(interner.region(decoded(region)).members).toBe(r.members);
    expect(interner.region(decoded(region)).groups).toBe(r.groups);
    expect(interner.size).toBeGreaterThan(0);
    interner.clear();
    expect(interner.size).toBe(0);
    expect(interner.region(decoded(region)).members).not.toBe(r.members);
  });
});
