// Which IPv4 interface the host's engine binds, multicasts on and advertises (docs/network.md):
// --interface, else registry.json, else the one on the route to a membership service on
// another machine, else (serving the service itself) the first up, multicast-capable,
// non-loopback interface, and loopback where there is none. The engine never guesses.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { NetworkInterface } from '../../../src-shared/bridge/network';
import { isLoopbackHost } from '../../engine/gms';
import { errorText } from '../../../src-shared/util/error-text';

/** What the system says about one interface. */
export interface SystemInterface {
  readonly name: string;
  /** Its IPv4 addresses, in the order the system lists them. */
  readonly addresses: readonly string[];
  readonly up: boolean;
  readonly loopback: boolean;
  readonly multicast: boolean;
  readonly mtu: number;
}

/** The parts of the operating system the choice reads; tests inject their own. */
export interface NetworkSystem {
  /** Every interface with an IPv4 address, in the system's order. */
  interfaces(): readonly SystemInterface[];
  /** Whether an interface of that name exists at all (with or without an address, up or not). */
  exists(name: string): boolean;
  /** The local address the kernel picks towards `host:port` and the address `host` resolved
   * to; sends nothing. Throws when there is no route. */
  route(host: string, port: number): Promise<{ readonly local: string; readonly remote: string }>;
}

export interface InterfaceRequest {
  /** `--interface NAME|ADDRESS`. */
  readonly option?: string;
  /** The registry's `interface` (registry.json). */
  readonly registry?: string;
  /** The membership service, when known: the route to it decides, unless this host serves it. */
  readonly gms?: { readonly host: string; readonly port: number };
  /** This host serves the membership service (or will, if nobody answers). */
  readonly servesGms: boolean;
}

const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;
const IFF_MULTICAST = 0x1000;
const LOOPBACK_MTU = 65536;
const ETHERNET_MTU = 1500;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A number read from /sys/class/net/<name>/<file>, or undefined where /sys is not there. */
function sysNumber(name: string, file: string): number | undefined {
  try {
    const n = Number(readFileSync(`/sys/class/net/${name}/${file}`, 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** This machine: os.networkInterfaces() for addresses, /sys/class/net for flags and MTU
 * (without /sys: up, multicast unless internal, MTU 1500 or 65536 on loopback). */
export function systemNetwork(): NetworkSystem {
  return {
    interfaces() {
      const result: SystemInterface[] = [];
      for (const [name, entries] of Object.entries(networkInterfaces())) {
        const v4 = (entries ?? []).filter((e) => e.family === 'IPv4');
        if (v4.length === 0) continue;
        const internal = v4.some((e) => e.internal);
        const flags = sysNumber(name, 'flags');
        const loopback = flags === undefined ? internal : (flags & IFF_LOOPBACK) !== 0;
        result.push({
          name,
          addresses: v4.map((e) => e.address),
          up: flags === undefined ? true : (flags & IFF_UP) !== 0,
          loopback,
          multicast: flags === undefined ? !internal : (flags & IFF_MULTICAST) !== 0,
          mtu: sysNumber(name, 'mtu') ?? (loopback ? LOOPBACK_MTU : ETHERNET_MTU),
        });
      }
      return result;
    },
    exists(name) {
      return name in networkInterfaces() || sysNumber(name, 'flags') !== undefined;
    },
    route: routeTo,
  };
}

/** A connected UDP socket's addresses: the kernel's route lookup, without sending a packet. */
function routeTo(host: string, port: number): Promise<{ local: string; remote: string }> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const done = (error: Error | undefined): void => {
      if (error) reject(error);
      else resolve({ local: socket.address().address, remote: socket.remoteAddress().address });
      socket.close();
    };
    socket.once('error', done);
    socket.connect(port > 0 ? port : 9, host, () => done(undefined));
  });
}

function describe(iface: SystemInterface): string {
  return `${iface.name} (${iface.addresses.join(', ')})`;
}

function listed(system: NetworkSystem): string {
  const all = system.interfaces();
  return all.length ? all.map(describe).join(', ') : 'none';
}

function chosen(
  iface: SystemInterface,
  address: string,
  chosenBy: NetworkInterface['chosenBy'],
): NetworkInterface {
  return { name: iface.name, address, mtu: iface.mtu, loopback: iface.loopback, chosenBy };
}

/** The interface holding `address`; any 127/8 address belongs to the loopback interface. */
function owner(system: NetworkSystem, address: string): SystemInterface | undefined {
  const all = system.interfaces();
  return (
    all.find((i) => i.addresses.includes(address)) ??
    (isLoopbackHost(address) ? all.find((i) => i.loopback) : undefined)
  );
}

/** `--interface` or the registry's value: an interface name or one of this machine's addresses. */
function named(system: NetworkSystem, value: string, chosenBy: 'option' | 'registry'): NetworkInterface {
  const where = chosenBy === 'option' ? '--interface' : 'the registry (registry.json "interface")';
  if (IPV4.test(value)) {
    const iface = owner(system, value);
    if (!iface) {
      throw new Error(
        `${where} names ${value}, which is not an IPv4 address of this machine ` +
          `(interfaces: ${listed(system)}); give one of them, or an interface name`,
      );
    }
    return chosen(iface, value, chosenBy);
  }
  const iface = system.interfaces().find((i) => i.name === value);
  if (!iface || !iface.up) {
    const why = system.exists(value) ? 'is down or has no IPv4 address' : 'does not exist';
    throw new Error(
      `${where} names interface ${value}, which ${why} (interfaces: ${listed(system)}); ` +
        'give one that is up, by name or address',
    );
  }
  return chosen(iface, iface.addresses[0]!, chosenBy);
}

/** The first up, multicast-capable, non-loopback interface; else loopback. */
function lan(system: NetworkSystem): NetworkInterface {
  const all = system.interfaces().filter((i) => i.up);
  const first = all.find((i) => !i.loopback && i.multicast);
  if (first) return chosen(first, first.addresses[0]!, 'lan');
  const lo = all.find((i) => i.loopback);
  if (lo) return chosen(lo, lo.addresses.find(isLoopbackHost) ?? lo.addresses[0]!, 'loopback');
  return { name: 'lo', address: '127.0.0.1', mtu: LOOPBACK_MTU, loopback: true, chosenBy: 'loopback' };
}

/** The interface on the route to `gms`, and whether `gms` itself is on loopback. */
async function routed(
  system: NetworkSystem,
  gms: { readonly host: string; readonly port: number },
): Promise<{ iface: NetworkInterface; remoteLoopback: boolean }> {
  let route: { local: string; remote: string };
  try {
    route = await system.route(gms.host, gms.port);
  } catch (e) {
    throw new Error(
      `no route to the membership service at ${gms.host}:${gms.port} (${errorText(e)}): ` +
        'check the network connection and the address, or choose an interface with --interface',
      { cause: e },
    );
  }
  const iface = owner(system, route.local);
  if (!iface) {
    throw new Error(
      `the route to ${gms.host}:${gms.port} leaves from ${route.local}, which no interface holds ` +
        `(interfaces: ${listed(system)}); choose one with --interface`,
    );
  }
  return { iface: chosen(iface, route.local, 'route'), remoteLoopback: isLoopbackHost(route.remote) };
}

/**
 * The interface for this host. Throws a message naming the interface and what to do when the
 * one asked for does not exist, or is loopback while the membership service is on another
 * machine (its nodes could not reach this one).
 */
export async function chooseInterface(
  request: InterfaceRequest,
  system: NetworkSystem = systemNetwork(),
): Promise<NetworkInterface> {
  const { option, registry, gms, servesGms } = request;
  const given =
    option !== undefined
      ? named(system, option, 'option')
      : registry !== undefined
        ? named(system, registry, 'registry')
        : undefined;
  if (!gms) return given ?? lan(system);
  if (!given && servesGms) return lan(system);
  if (given && (!given.loopback || isLoopbackHost(gms.host))) return given;
  const route = await routed(system, gms);
  const iface = given ?? route.iface;
  if (iface.loopback && !route.remoteLoopback) {
    const other = route.iface.loopback ? system.interfaces().find((i) => i.up && !i.loopback) : route.iface;
    throw new Error(
      `interface ${iface.name} (${iface.address}) is loopback, but the membership service at ` +
        `${gms.host}:${gms.port} is on another machine; choose one with --interface` +
        (other ? ` (e.g. --interface ${other.name})` : ''),
    );
  }
  return iface;
}
