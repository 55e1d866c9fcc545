// Where a test's or benchmark's process runs: on this machine's loopback, or on a simulated
// machine of a lab (testing/netns.ts: a Machine is a Place) with that machine's address.

/** Where one process runs and the address it uses there. */
export interface Place {
  /** Command prefix that runs a program there (ManagedProcess's `via`); empty: here. */
  readonly via: readonly string[];
  readonly address: string;
}

export const LOOPBACK: Place = { via: [], address: '127.0.0.1' };

/** `liveobjects node` options that bind a node to `place`'s address (none on loopback: the
 * node's defaults). */
export function nodeAddressArgs(place: Place): string[] {
  return place.address === LOOPBACK.address ? [] : ['--bind', place.address, '--iface', place.address];
}
