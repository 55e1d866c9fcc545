// A token too large for one datagram travels as parts (wire/packets.ts, encodeTokenParts),
// each a token packet with some of the records. A member acts on the token once it has every
// part; a part of another token (a later round, another forwarder) replaces an incomplete
// one, so a lost part costs that token, as a lost token would, and nothing is held for long.

import type { Counters } from '../stats';
import { TokenLevel, type TokenPacket, type TokenRecord } from '../wire/packets';

interface Pending {
  readonly first: TokenPacket;
  readonly records: (TokenRecord[] | undefined)[];
  got: number;
}

export class TokenParts {
  /** One token being assembled per level (partition, region). */
  private readonly pending: (Pending | undefined)[] = [undefined, undefined];

  constructor(private readonly counters: Counters) {}

  /** The whole token once `t` completes it (`t` itself when it came in one datagram). */
  add(t: TokenPacket): TokenPacket | undefined {
    if (t.parts === 1) return t;
    const level = t.level === TokenLevel.Region ? 1 : 0;
    let p = this.pending[level];
    if (!p || !sameToken(p.first, t)) {
      if (p) this.counters.drop('token-incomplete');
      p = { first: t, records: new Array<TokenRecord[] | undefined>(t.parts), got: 0 };
      this.pending[level] = p;
    }
    if (p.records[t.part]) return undefined;
    p.records[t.part] = t.records;
    if (++p.got < t.parts) return undefined;
    this.pending[level] = undefined;
    return { ...t, part: 0, parts: 1, records: p.records.flatMap((r) => r!) };
  }
}

function sameToken(a: TokenPacket, b: TokenPacket): boolean {
  return (
    a.sender === b.sender &&
    a.round === b.round &&
    a.partition === b.partition &&
    a.viewId === b.viewId &&
    a.parts === b.parts
  );
}
