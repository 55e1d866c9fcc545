// Reused memory for the payloads a sender holds until they are acknowledged. A held copy
// outlives several scavenges, so with fresh memory per message (carved slabs or an
// ArrayBuffer each) the old generation kept gaining external memory that only a
// mark-compact returns: at 150,000 msgs/s of 1 KiB the sender ran one about every 100 ms,
// pausing 2–10 ms each (perf_hooks 'gc' entries). Here a slab goes back to a free list when
// its last message is released, so a sender in steady state allocates no payload memory.
//
// Nothing outside the sender may keep a view of arena memory: what leaves it is copied
// first (a repair through copyOut; its own delivery from a copy of the datagram).

/** A block of payload memory and how much of it is handed out. */
export class ArenaSlab {
  /** Bytes handed out from the front. */
  used = 0;
  /** Payloads in it not released yet. */
  live = 0;
  constructor(readonly bytes: Buffer) {}

  /** Copies `data` in at the end; returns its offset. The caller checked room (slabFor). */
  put(data: Uint8Array): number {
    const off = this.used;
    this.bytes.set(data, off);
    this.used += (data.length + 7) & ~7;
    this.live++;
    return off;
  }
}

export class PayloadArena {
  private current: ArenaSlab;
  private readonly spare: ArenaSlab[] = [];
  /** Slabs allocated over the arena's life: flat in steady state (tests, diagnostics). */
  slabsAllocated = 1;

  /** `slabBytes`: the size of the slabs payloads are packed into (a larger payload gets a
   * slab of its own, never reused); `maxSpare`: free slabs kept for reuse, the idle memory
   * bound beyond what is held. */
  constructor(
    readonly slabBytes = 256 * 1024,
    private readonly maxSpare = 32,
  ) {
    this.current = new ArenaSlab(Buffer.allocUnsafeSlow(slabBytes));
  }

  /** A slab with room for `n` more bytes; put() the payload into it. */
  slabFor(n: number): ArenaSlab {
    if (n > this.slabBytes) {
      this.slabsAllocated++;
      return new ArenaSlab(Buffer.allocUnsafeSlow(n));
    }
    let c = this.current;
    if (c.used + n <= this.slabBytes) return c;
    if (c.live === 0) c.used = 0;
    else {
      c = this.spare.pop() ?? this.fresh();
      this.current = c;
    }
    return c;
  }

  /** A payload put into `slab` is no longer needed: the slab is reused once all of its are. */
  release(slab: ArenaSlab): void {
    if (--slab.live > 0 || slab === this.current) return;
    if (slab.bytes.length !== this.slabBytes || this.spare.length >= this.maxSpare) return;
    slab.used = 0;
    this.spare.push(slab);
  }

  /** Free slabs kept for reuse. */
  get spareSlabs(): number {
    return this.spare.length;
  }

  private fresh(): ArenaSlab {
    this.slabsAllocated++;
    return new ArenaSlab(Buffer.allocUnsafeSlow(this.slabBytes));
  }
}

/** A copy of `len` bytes at `off` in `slab`, in memory of its own (safe to keep). */
export function copyOut(slab: ArenaSlab, off: number, len: number): Buffer {
  const b = Buffer.allocUnsafe(len);
  slab.bytes.copy(b, 0, off, off + len);
  return b;
}
