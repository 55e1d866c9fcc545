// Regions (qsm-protocol.md "Regions", D4260–4342): a region is the set of nodes that belong to
// exactly the same set of groups. Everything here is a pure function so that the GMS server,
// the static membership used in tests and the tests themselves compute the same layout.
import { createHash } from 'node:crypto';
import type { MulticastAddress, NodeId } from '../membership';

export interface RegionLayout {
  /** Region id → the region's sorted groups and its members sorted by id. */
  readonly regions: ReadonlyMap<
    string,
    { readonly groups: readonly string[]; readonly members: readonly NodeId[] }
  >;
  /** Group → the disjoint regions whose union is the group, sorted by region id. */
  readonly groupRegions: ReadonlyMap<string, readonly string[]>;
  /** Node → its region; nodes that belong to no group have no region. */
  readonly nodeRegion: ReadonlyMap<NodeId, string>;
}

/** Plain code-unit order: deterministic regardless of locale, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Stable id of the region whose group set is `groups`. JSON-encoding the sorted names keeps
 * the hash unambiguous whatever characters the names contain.
 */
export function regionIdOf(groups: Iterable<string>): string {
  const sorted = [...new Set(groups)].sort(compareStrings);
  return 'r-' + sha256(JSON.stringify(sorted)).toString('hex').slice(0, 12);
}

export function computeRegions(nodeGroups: ReadonlyMap<NodeId, ReadonlySet<string>>): RegionLayout {
  const regions = new Map<string, { groups: string[]; members: NodeId[] }>();
  const nodeRegion = new Map<NodeId, string>();
  for (const [node, groupSet] of nodeGroups) {
    if (groupSet.size === 0) continue;
    const groups = [...groupSet].sort(compareStrings);
    const id = regionIdOf(groups);
    let region = regions.get(id);
    if (!region) {
      region = { groups, members: [] };
      regions.set(id, region);
    }
    region.members.push(node);
    nodeRegion.set(node, id);
  }
  const groupRegions = new Map<string, string[]>();
  for (const id of [...regions.keys()].sort(compareStrings)) {
    const region = regions.get(id);
    if (!region) continue;
    region.members.sort(compareStrings);
    for (const group of region.groups) {
      const list = groupRegions.get(group);
      if (list) list.push(id);
      else groupRegions.set(group, [id]);
    }
  }
  return { regions, groupRegions, nodeRegion };
}

/** The pool of multicast endpoints the GMS hands out, one per region. */
export interface MulticastRange {
  /** IPv4 multicast block in CIDR notation, e.g. `239.255.0.0/16`. */
  readonly cidr: string;
  readonly portMin: number;
  readonly portMax: number;
}

export const defaultMulticastRange: MulticastRange = {
  cidr: '239.255.0.0/16',
  portMin: 20000,
  portMax: 29999,
};

interface ParsedRange {
  readonly base: number;
  readonly size: number;
  readonly portMin: number;
  readonly ports: number;
}

/** A dotted-quad IPv4 address as a number, or undefined when `text` is not one. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Validates a range; throws with a message naming the bad part. */
export function parseMulticastRange(range: MulticastRange): ParsedRange {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(range.cidr);
  const address = match?.[1] === undefined ? undefined : parseIpv4(match[1]);
  const prefix = Number(match?.[2]);
  if (address === undefined || !(prefix >= 4 && prefix <= 32)) {
    throw new Error(`invalid multicast range '${range.cidr}' (expected IPv4 CIDR such as 239.255.0.0/16)`);
  }
  const size = 2 ** (32 - prefix);
  const base = address - (address % size);
  // 224.0.0.0/4 is the IPv4 multicast block.
  if (base < 0xe0000000 || base + size - 1 > 0xefffffff) {
    throw new Error(`multicast range '${range.cidr}' is not inside 224.0.0.0/4`);
  }
  const { portMin, portMax } = range;
  if (
    !Number.isInteger(portMin) ||
    !Number.isInteger(portMax) ||
    portMin < 1 ||
    portMax > 65535 ||
    portMin > portMax
  ) {
    throw new Error(`invalid multicast port range ${portMin}-${portMax}`);
  }
  return { base, size, portMin, ports: portMax - portMin + 1 };
}

/**
 * Gives every region a multicast endpoint. Regions keep the endpoint they already have (a live
 * region must never move); new regions get one derived from a hash of their id, probing
 * linearly for an address no other region uses, so a restarted GMS hands out the same
 * endpoints. New regions are placed in sorted order to keep probing deterministic. When every
 * address is taken, regions share addresses but never an (address, port) pair.
 */
export function assignMulticast(
  regionIds: Iterable<string>,
  previous: ReadonlyMap<string, MulticastAddress>,
  range: MulticastRange = defaultMulticastRange,
): Map<string, MulticastAddress> {
  const parsed = parseMulticastRange(range);
  const capacity = parsed.size * parsed.ports;
  const wanted = [...new Set(regionIds)].sort(compareStrings);
  if (wanted.length > capacity) {
    throw new Error(`multicast range ${range.cidr}:${range.portMin}-${range.portMax} is exhausted`);
  }
  const result = new Map<string, MulticastAddress>();
  const usedAddresses = new Set<string>();
  const usedPairs = new Set<string>();
  const claim = (id: string, endpoint: MulticastAddress): void => {
    result.set(id, endpoint);
    usedAddresses.add(endpoint.address);
    usedPairs.add(`${endpoint.address}:${endpoint.port}`);
  };
  const fresh: string[] = [];
  for (const id of wanted) {
    const kept = previous.get(id);
    if (kept && !usedPairs.has(`${kept.address}:${kept.port}`)) claim(id, kept);
    else fresh.push(id);
  }
  for (const id of fresh) {
    const digest = sha256(id);
    const home = digest.readUInt32BE(0) % parsed.size;
    const port = parsed.portMin + (digest.readUInt32BE(4) % parsed.ports);
    let endpoint: MulticastAddress | undefined;
    for (let i = 0; i < parsed.size && !endpoint; i++) {
      const address = formatIpv4(parsed.base + ((home + i) % parsed.size));
      if (!usedAddresses.has(address)) endpoint = { address, port };
    }
    // Every address is in use: fall back to probing (address, port) pairs.
    const start = home * parsed.ports + (port - parsed.portMin);
    for (let i = 0; i < capacity && !endpoint; i++) {
      const slot = (start + i) % capacity;
      const candidate = {
        address: formatIpv4(parsed.base + Math.floor(slot / parsed.ports)),
        port: parsed.portMin + (slot % parsed.ports),
      };
      if (!usedPairs.has(`${candidate.address}:${candidate.port}`)) endpoint = candidate;
    }
    if (!endpoint) throw new Error('multicast range exhausted');
    claim(id, endpoint);
  }
  return result;
}
