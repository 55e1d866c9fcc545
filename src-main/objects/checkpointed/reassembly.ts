// Reassembles one chunked checkpoint transfer. Chunks of other transfers, duplicates and
// chunks whose count disagrees with the first one are reported as stale, never stored.

export type ChunkOutcome = 'stored' | 'complete' | 'stale';

export class Reassembly {
  private readonly parts: (Uint8Array | undefined)[] = [];
  private received = 0;
  private count: number | undefined;

  constructor(
    readonly transferId: number,
    readonly provider: string,
  ) {}

  add(index: number, count: number, payload: Uint8Array): ChunkOutcome {
    if (this.count === undefined) this.count = count;
    else if (count !== this.count) return 'stale';
    if (index >= count || this.parts[index] !== undefined) return 'stale';
    this.parts[index] = payload.slice();
    this.received++;
    return this.received === this.count ? 'complete' : 'stored';
  }

  /** The whole checkpoint; only valid once add() returned 'complete'. */
  assemble(): Uint8Array {
    let size = 0;
    for (const part of this.parts) size += part?.length ?? 0;
    const out = new Uint8Array(size);
    let offset = 0;
    for (const part of this.parts) {
      if (!part) throw new Error('assemble() before the transfer completed');
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/** Splits `data` into chunks of at most `size` bytes (at least one chunk, possibly empty). */
export function splitChunks(data: Uint8Array, size: number): Uint8Array[] {
  if (data.length === 0) return [data];
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < data.length; offset += size)
    chunks.push(data.subarray(offset, offset + size));
  return chunks;
}
