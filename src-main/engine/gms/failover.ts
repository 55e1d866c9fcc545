// Deterministic choices every node makes on its own and all make alike (docs/network.md): who
// serves the membership service when the node serving it is gone, and which of two live
// services everyone moves to when they meet. Pure: the same inputs give the same answer on
// every machine, so no extra agreement protocol is needed.
import type { NodeId } from '../membership';
import { compareStrings, parseIpv4 } from './regions';

/**
 * The successor: the lowest id of `members` (the last view every survivor saw) that is not
 * `gone`; undefined when none is left. Ordinal string order, as views sort their members.
 */
export function successorOf(members: readonly NodeId[], gone: ReadonlySet<NodeId>): NodeId | undefined {
  let best: NodeId | undefined;
  for (const m of members) {
    if (gone.has(m)) continue;
    if (best === undefined || compareStrings(m, best) < 0) best = m;
  }
  return best;
}

export interface ServiceCandidate {
  readonly host: string;
  readonly port: number;
}

/** Orders services: IPv4 addresses numerically (before host names), then names, then port. */
export function compareServices(a: ServiceCandidate, b: ServiceCandidate): number {
  const na = parseIpv4(a.host);
  const nb = parseIpv4(b.host);
  if (na !== undefined && nb !== undefined && na !== nb) return na - nb;
  if (na !== undefined && nb === undefined) return -1;
  if (na === undefined && nb !== undefined) return 1;
  if (na === undefined && nb === undefined && a.host !== b.host) return compareStrings(a.host, b.host);
  return a.port - b.port;
}

/**
 * Of two or more live membership services, the one everybody uses: the lowest address
 * (numerically), then the lowest port. Undefined when there is none.
 */
export function preferredService<T extends ServiceCandidate>(candidates: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const c of candidates) if (best === undefined || compareServices(c, best) < 0) best = c;
  return best;
}

/** True for an IPv4 literal in 127.0.0.0/8 or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const n = parseIpv4(host);
  return n !== undefined && n >>> 24 === 127;
}

/**
 * Why a node at `self` must not register with the GMS at `gms`, or undefined: a loopback
 * unicast address given to a membership service on another machine would reach nobody there.
 * Only IPv4 literals can be judged here; a host name is taken as it is.
 */
export function loopbackMismatch(
  self: { readonly host: string },
  gms: { readonly host: string; readonly port: number },
): string | undefined {
  const remote = parseIpv4(gms.host);
  // 0.0.0.0 reaches this machine only; a host name cannot be judged without resolving it.
  if (!isLoopbackHost(self.host) || isLoopbackHost(gms.host) || !remote) return undefined;
  return (
    `this node's address ${self.host} is loopback, but the membership service at ` +
    `${gms.host}:${gms.port} is not: nodes on other machines could not reach it`
  );
}
