import { describe, expect, it } from 'vitest';
import { chooseInterface, systemNetwork } from './interface';
import type { NetworkSystem, SystemInterface } from './interface';

const lo: SystemInterface = {
  name: 'lo',
  addresses: ['127.0.0.1'],
  up: true,
  loopback: true,
  multicast: false,
  mtu: 65536,
};
const docker: SystemInterface = {
  name: 'docker0',
  addresses: ['172.17.0.1'],
  up: false,
  loopback: false,
  multicast: true,
  mtu: 1500,
};
const tun: SystemInterface = {
  name: 'tun0',
  addresses: ['10.8.0.2'],
  up: true,
  loopback: false,
  multicast: false,
  mtu: 1420,
};
const eth0: SystemInterface = {
  name: 'eth0',
  addresses: ['10.0.0.6', '10.0.0.66'],
  up: true,
  loopback: false,
  multicast: true,
  mtu: 1500,
};
const wlan0: SystemInterface = {
  name: 'wlan0',
  addresses: ['192.168.1.20'],
  up: true,
  loopback: false,
  multicast: true,
  mtu: 1480,
};

/** A machine with these interfaces whose routes are given as host → local address. */
function machine(
  interfaces: SystemInterface[],
  routes: Record<string, string> = {},
  absent: string[] = [],
): NetworkSystem & { routed: string[] } {
  const routed: string[] = [];
  return {
    routed,
    interfaces: () => interfaces,
    exists: (name) => interfaces.some((i) => i.name === name) || absent.includes(name),
    async route(host) {
      routed.push(host);
      const local = routes[host];
      if (!local) throw new Error('connect ENETUNREACH');
      return { local, remote: host };
    },
  };
}

const all = [lo, docker, tun, eth0, wlan0];

describe('chooseInterface', () => {
  it('serving the membership service: the first up, multicast-capable, non-loopback interface', async () => {
    expect(await chooseInterface({ servesGms: true }, machine(all))).toEqual({
      name: 'eth0',
      address: '10.0.0.6',
      mtu: 1500,
      loopback: false,
      chosenBy: 'lan',
    });
    expect((await chooseInterface({ servesGms: true }, machine([lo, wlan0, eth0]))).name).toBe('wlan0');
  });

  it('loopback where no other interface is up and multicast-capable', async () => {
    expect(await chooseInterface({ servesGms: true }, machine([lo, docker, tun]))).toEqual({
      name: 'lo',
      address: '127.0.0.1',
      mtu: 65536,
      loopback: true,
      chosenBy: 'loopback',
    });
    expect((await chooseInterface({ servesGms: true }, machine([]))).address).toBe('127.0.0.1');
  });

  it('a membership service elsewhere: the interface on the route to it', async () => {
    const system = machine(all, { '192.168.1.5': '192.168.1.20', '10.0.0.66': '10.0.0.66' });
    expect(
      await chooseInterface({ gms: { host: '192.168.1.5', port: 7070 }, servesGms: false }, system),
    ).toEqual({
      name: 'wlan0',
      address: '192.168.1.20',
      mtu: 1480,
      loopback: false,
      chosenBy: 'route',
    });
    // The second address of eth0 is the one the route leaves from.
    const own = await chooseInterface({ gms: { host: '10.0.0.66', port: 7070 }, servesGms: false }, system);
    expect([own.name, own.address]).toEqual(['eth0', '10.0.0.66']);
  });

  it('a membership service on loopback: loopback, as the route says', async () => {
    const system = machine(all, { '127.0.0.1': '127.0.0.1' });
    const iface = await chooseInterface({ gms: { host: '127.0.0.1', port: 7070 }, servesGms: false }, system);
    expect([iface.name, iface.address, iface.chosenBy]).toEqual(['lo', '127.0.0.1', 'route']);
  });

  it('no route to the membership service: a clear error', async () => {
    await expect(
      chooseInterface({ gms: { host: '10.9.9.9', port: 7070 }, servesGms: false }, machine(all)),
    ).rejects.toThrow(/no route to the membership service at 10\.9\.9\.9:7070 \(connect ENETUNREACH\)/);
  });

  it('--interface wins over the registry and the route, by name or address', async () => {
    const system = machine(all, { '192.168.1.5': '192.168.1.20' });
    const gms = { host: '192.168.1.5', port: 7070 };
    const byName = await chooseInterface(
      { option: 'eth0', registry: 'wlan0', gms, servesGms: false },
      system,
    );
    expect([byName.name, byName.address, byName.chosenBy]).toEqual(['eth0', '10.0.0.6', 'option']);
    const byAddress = await chooseInterface({ option: '10.0.0.66', gms, servesGms: false }, system);
    expect([byAddress.name, byAddress.address]).toEqual(['eth0', '10.0.0.66']);
    const registry = await chooseInterface({ registry: 'wlan0', servesGms: true }, system);
    expect([registry.name, registry.chosenBy]).toEqual(['wlan0', 'registry']);
    expect(system.routed).toEqual([]);
  });

  it('any 127/8 address is on the loopback interface', async () => {
    const iface = await chooseInterface({ option: '127.0.0.7', servesGms: true }, machine(all));
    expect([iface.name, iface.address, iface.loopback]).toEqual(['lo', '127.0.0.7', true]);
  });

  it('names what is wrong with an interface that cannot be used', async () => {
    const system = machine(all, {}, ['eth9']);
    await expect(chooseInterface({ option: 'docker0', servesGms: true }, system)).rejects.toThrow(
      /--interface names interface docker0, which is down or has no IPv4 address \(interfaces: lo \(127\.0\.0\.1\), docker0/,
    );
    await expect(chooseInterface({ option: 'eth9', servesGms: true }, system)).rejects.toThrow(
      /interface eth9, which is down or has no IPv4 address/,
    );
    await expect(chooseInterface({ option: 'wlan9', servesGms: true }, system)).rejects.toThrow(
      /interface wlan9, which does not exist/,
    );
    await expect(chooseInterface({ registry: '10.1.2.3', servesGms: true }, system)).rejects.toThrow(
      /the registry \(registry.json "interface"\) names 10\.1\.2\.3, which is not an IPv4 address of this machine/,
    );
  });

  it('refuses loopback for a membership service on another machine, naming the interface', async () => {
    const system = machine(all, { '10.0.0.5': '10.0.0.6' });
    await expect(
      chooseInterface({ option: 'lo', gms: { host: '10.0.0.5', port: 7070 }, servesGms: false }, system),
    ).rejects.toThrow(
      'interface lo (127.0.0.1) is loopback, but the membership service at 10.0.0.5:7070 is on another machine; choose one with --interface (e.g. --interface eth0)',
    );
    const ok = await chooseInterface(
      { option: 'lo', gms: { host: '127.0.0.1', port: 7070 }, servesGms: false },
      system,
    );
    expect(ok.name).toBe('lo');
  });
});

describe('chooseInterface on this machine', () => {
  it('finds the loopback interface, its flags and MTU, and the route to a loopback address', async () => {
    const lo = await chooseInterface({ option: 'lo', servesGms: true });
    expect(lo).toMatchObject({ name: 'lo', address: '127.0.0.1', loopback: true, chosenBy: 'option' });
    expect(lo.mtu).toBeGreaterThanOrEqual(1500);
    const routed = await chooseInterface({ gms: { host: '127.0.0.1', port: 7070 }, servesGms: false });
    expect(routed).toMatchObject({ name: 'lo', address: '127.0.0.1', chosenBy: 'route', mtu: lo.mtu });
    const other = await chooseInterface({ option: '127.0.0.9', servesGms: true });
    expect([other.name, other.address]).toEqual(['lo', '127.0.0.9']);
    expect(
      systemNetwork()
        .interfaces()
        .find((i) => i.name === 'lo'),
    ).toMatchObject({ up: true, loopback: true });
  });
});
