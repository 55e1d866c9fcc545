// Keyed groups (qsm.channel's optional `key`): every payload carries an HMAC-SHA256 tag over
// the group name and the payload, and packets whose tag does not verify are dropped. The key
// is a capability: whoever holds the reference may send. Payloads are authenticated, not
// encrypted.
import { createHmac, timingSafeEqual } from 'node:crypto';

const TAG_BYTES = 16;

export class GroupKey {
  constructor(private readonly key: Uint8Array) {
    if (key.length === 0) throw new Error('a group key must not be empty');
  }

  private tag(group: string, payload: Uint8Array): Buffer {
    return createHmac('sha256', this.key)
      .update(group)
      .update(new Uint8Array([0]))
      .update(payload)
      .digest()
      .subarray(0, TAG_BYTES);
  }

  seal(group: string, payload: Uint8Array): Uint8Array {
    const out = new Uint8Array(payload.length + TAG_BYTES);
    out.set(payload, 0);
    out.set(this.tag(group, payload), payload.length);
    return out;
  }

  /** The payload (a view into `packet`), or undefined when the packet is not authentic. */
  open(group: string, packet: Uint8Array): Uint8Array | undefined {
    if (packet.length < TAG_BYTES) return undefined;
    const payload = packet.subarray(0, packet.length - TAG_BYTES);
    const tag = packet.subarray(packet.length - TAG_BYTES);
    return timingSafeEqual(this.tag(group, payload), tag) ? payload : undefined;
  }
}
