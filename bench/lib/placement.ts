// Where the processes of a comparison run: all on this machine's loopback (every scenario but
// `lan`), or each on a simulated machine of a lab (testing/netns.ts) with that machine's address.

/** Where one process runs and the address it uses there. */
export interface Place {
  /** Command prefix that runs a program there (ManagedProcess's `via`); empty: here. */
  readonly via: readonly string[];
  readonly address: string;
}

export const LOOPBACK: Place = { via: [], address: '127.0.0.1' };

/** The machines of a comparison's roles. */
export interface Placement {
  /** The sender; the engine's GMS runs beside it. */
  readonly sender: Place;
  /** Receiver `index` (0-based). */
  readonly receiver: (index: number) => Place;
  /** nats-server. */
  readonly broker: Place;
}

export const ON_LOOPBACK: Placement = { sender: LOOPBACK, receiver: () => LOOPBACK, broker: LOOPBACK };

/** `liveobjects node` options that bind a node to `place`'s address (none on loopback: the
 * node's defaults). */
export function nodeAddressArgs(place: Place): string[] {
  return place.address === LOOPBACK.address ? [] : ['--bind', place.address, '--iface', place.address];
}
