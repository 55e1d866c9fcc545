// Reusable buffers for outgoing data datagrams. With a fresh allocation per datagram, ~100
// MB/s of payload copies and datagrams grow a sender's external memory fast enough to start
// a full V8 mark-compact several times a second. A datagram's buffer is handed back once the
// socket reports the send done (nothing else references it).

export class DatagramPool {
  private readonly free: ArrayBuffer[] = [];

  /** `capacity`: bytes per pooled buffer (larger datagrams are not pooled); `max`: buffers
   * kept for reuse. */
  constructor(
    readonly capacity: number,
    private readonly max = 64,
  ) {}

  /** A buffer of `n` bytes, or undefined if `n` exceeds the capacity. */
  take(n: number): Buffer | undefined {
    if (n > this.capacity) return undefined;
    return Buffer.from(this.free.pop() ?? new ArrayBuffer(this.capacity), 0, n);
  }

  /** Returns a buffer obtained from take() (others are ignored). */
  give(buf: Uint8Array): void {
    const ab = buf.buffer;
    if (ab instanceof ArrayBuffer && ab.byteLength === this.capacity && buf.byteOffset === 0) {
      if (this.free.length < this.max) this.free.push(ab);
    }
  }
}
