// Where the processes of a comparison run: all on this machine's loopback (every scenario but
// `lan`), or each on a simulated machine of a lab (testing/netns.ts) with that machine's address.
import { LOOPBACK } from '../../testing/place';
import type { Place } from '../../testing/place';

export { LOOPBACK, nodeAddressArgs } from '../../testing/place';
export type { Place } from '../../testing/place';

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
