import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../objects/channel/memory-network';
import { PresenceDirectory } from './presence';

describe('PresenceDirectory', () => {
  it('maps members to announced names, tells probes apart, and forgets members that leave', async () => {
    const net = new MemoryNetwork();
    const ann = new PresenceDirectory(net.join('a'), 'Ann');
    const bob = new PresenceDirectory(net.join('b'), 'Bob');
    const doctor = new PresenceDirectory(net.join('d'), 'liveobjects doctor on m1', { probe: true });
    await net.clock.runUntil(() => ann.nameOf('d') !== 'node d' && ann.nameOf('b') === 'Bob');
    expect(ann.nameOf('d')).toBe('liveobjects doctor on m1');
    expect([ann.isProbe('d'), ann.isProbe('b'), bob.isProbe('d'), doctor.isProbe('a')]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    await doctor.close();
    await net.clock.runUntil(() => ann.nameOf('d') === 'node d');
    expect(ann.isProbe('d')).toBe(false);
    await Promise.all([ann.close(), bob.close()]);
  });
});
