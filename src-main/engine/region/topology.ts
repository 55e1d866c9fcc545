// Rings and partitions of one region view (D4467-4525): members by rank, partitions of k
// consecutive ranks, a token ring per partition, a ring of partition leaders (the first of
// each partition), and the region leader (rank 0).

import type { NodeInfo, RegionView } from '../membership';

export class Topology {
  readonly rank: number;
  readonly partition: number;
  readonly partitions: number;

  constructor(
    readonly view: RegionView,
    selfId: string,
    readonly k: number,
  ) {
    this.rank = view.members.findIndex((m) => m.id === selfId);
    this.partition = this.rank < 0 ? -1 : Math.floor(this.rank / k);
    this.partitions = Math.ceil(view.members.length / k);
  }

  get size(): number {
    return this.view.members.length;
  }
  get isRegionLeader(): boolean {
    return this.rank === 0;
  }
  get isPartitionLeader(): boolean {
    return this.rank >= 0 && this.rank % this.k === 0;
  }

  members(partition: number): NodeInfo[] {
    return this.view.members.slice(partition * this.k, partition * this.k + this.k);
  }

  partitionOf(id: string): number {
    const r = this.view.members.findIndex((m) => m.id === id);
    return r < 0 ? -1 : Math.floor(r / this.k);
  }

  /** The partition that caches `seq` (cooperative caching, round-robin by sequence number). */
  cachingPartition(seq: number): number {
    return seq % this.partitions;
  }

  /** Next member in my partition's ring, or undefined if I am the last (token returns to leader). */
  nextInPartition(): NodeInfo | undefined {
    const next = this.rank + 1;
    if (next >= this.size || Math.floor(next / this.k) !== this.partition) return undefined;
    return this.view.members[next];
  }

  partitionLeader(p = this.partition): NodeInfo {
    return this.view.members[p * this.k]!;
  }

  /** Next partition leader on the region ring; undefined when the token should go home. */
  nextPartitionLeader(): NodeInfo | undefined {
    const p = this.partition + 1;
    return p < this.partitions ? this.partitionLeader(p) : undefined;
  }

  randomMember(partition: number, exclude: string): NodeInfo | undefined {
    const ms = this.members(partition).filter((m) => m.id !== exclude);
    return ms[Math.floor(Math.random() * ms.length)];
  }
}
