// Which updates a state covers: per stream (sender incarnation), the highest sequence number
// applied. Streams are (member, epoch) so a member that rejoins under the same id starts a
// fresh stream instead of having its new updates mistaken for duplicates.

import type * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { MemberId } from '../channel/group-channel';
import { MalformedMessage, readString, readUint, remaining, writeUint } from './codec';

export interface StreamId {
  readonly member: MemberId;
  readonly epoch: number;
}

export function streamKey(member: MemberId, epoch: number): string {
  return `${epoch}/${member}`;
}

interface Entry extends StreamId {
  seq: number;
}

export class VersionVector {
  private readonly entries = new Map<string, Entry>();

  /** Highest applied sequence number of a stream (0: none). */
  get(member: MemberId, epoch: number): number {
    return this.entries.get(streamKey(member, epoch))?.seq ?? 0;
  }

  has(member: MemberId, epoch: number): boolean {
    return this.entries.has(streamKey(member, epoch));
  }

  set(member: MemberId, epoch: number, seq: number): void {
    const key = streamKey(member, epoch);
    const entry = this.entries.get(key);
    if (entry) entry.seq = seq;
    else this.entries.set(key, { member, epoch, seq });
  }

  /** Raises a stream's entry to at least `seq`. */
  raise(member: MemberId, epoch: number, seq: number): void {
    if (seq > this.get(member, epoch)) this.set(member, epoch, seq);
  }

  get size(): number {
    return this.entries.size;
  }

  *[Symbol.iterator](): IterableIterator<StreamId & { readonly seq: number }> {
    for (const entry of this.entries.values()) yield { ...entry };
  }

  /** True when this vector covers every entry of `other`. */
  covers(other: VersionVector): boolean {
    for (const { member, epoch, seq } of other) if (this.get(member, epoch) < seq) return false;
    return true;
  }

  clone(): VersionVector {
    const copy = new VersionVector();
    for (const { member, epoch, seq } of this) copy.set(member, epoch, seq);
    return copy;
  }

  write(encoder: encoding.Encoder): void {
    writeUint(encoder, this.entries.size);
    for (const { member, epoch, seq } of this.entries.values()) {
      encoding.writeVarString(encoder, member);
      writeUint(encoder, epoch);
      writeUint(encoder, seq);
    }
  }

  static read(decoder: decoding.Decoder): VersionVector {
    const vector = new VersionVector();
    const count = readUint(decoder);
    // Each entry takes at least 3 bytes: reject absurd counts before looping.
    if (count * 3 > remaining(decoder)) throw new MalformedMessage('vector too long');
    for (let i = 0; i < count; i++) {
      const member = readString(decoder);
      const epoch = readUint(decoder);
      vector.set(member, epoch, readUint(decoder));
    }
    return vector;
  }
}
