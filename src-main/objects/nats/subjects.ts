// Names on the NATS server for one group. They never carry the group name (nor the title an
// object's group name may echo): each is derived from a hash of it, so the server and its
// operators see only opaque names.
import { createHash } from 'node:crypto';

export interface GroupNames {
  /** The JetStream subject carrying the group's messages (and its history). */
  readonly subject: string;
  /** The JetStream stream holding the group's history. */
  readonly stream: string;
  /** The core NATS subject of the group's presence heartbeats (not stored). */
  readonly presence: string;
}

export function groupNames(group: string): GroupNames {
  const hash = createHash('sha256')
    .update(`liveobjects nats subject v1\0${group}`)
    .digest('hex')
    .slice(0, 32);
  return { subject: `lo.g.${hash}`, stream: `LO_${hash}`, presence: `lo.p.${hash}` };
}
