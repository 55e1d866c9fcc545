// Buffers carved from 256 KiB slabs: the sender allocates a payload copy per message and a
// datagram per packet, and an ArrayBuffer each (Node's own pool only serves < 4 KiB, 8 KiB at
// a time) made allocation and its GC bookkeeping a visible share of the send path. A slab is
// freed once nothing carved from it is referenced; messages are acknowledged and datagrams
// sent roughly in order, so slabs do not linger.

const SLAB_BYTES = 256 * 1024;
/** Larger buffers get their own ArrayBuffer (they would waste most of a slab). */
const MAX_CARVED = SLAB_BYTES / 8;

let slab = new ArrayBuffer(0);
let used = 0;

/** An uninitialised buffer of `n` bytes, 8-byte aligned (the CRC reads 32-bit words). */
export function allocBuffer(n: number): Buffer {
  if (n > MAX_CARVED) return Buffer.allocUnsafeSlow(n);
  if (used + n > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const b = Buffer.from(slab, used, n);
  used += (n + 7) & ~7;
  return b;
}
