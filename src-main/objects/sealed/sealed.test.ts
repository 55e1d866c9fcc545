// The sealing of liveobjects.sealed: confidentiality, authenticity, no replay, no
// re-attribution, fresh nonces across restarts; and the channel's drop-count-report-once.
import { describe, expect, it } from 'vitest';
import type { MemberId, NamedGroupChannel } from '../channel/group-channel';
import { OBJECT_KEY_BYTES, Opener, Sealer, freshObjectKey, keyFingerprint } from './object-key';
import { SealedGroupChannel } from './sealed-channel';
import { createRuntime } from '../index';
import { qsmChannelReference } from '../qsm';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const contains = (hay: Uint8Array, needle: Uint8Array): boolean =>
  Buffer.from(hay).includes(Buffer.from(needle));

function opened(result: ReturnType<Opener['open']>): string {
  if (!result.ok) throw new Error(`not opened: ${result.reason}`);
  return dec(result.data);
}

describe('Sealer and Opener', () => {
  const key = freshObjectKey();

  it('round-trips, and the sealed bytes do not contain the text', () => {
    const sealer = new Sealer(key, 'g', 'alice');
    const opener = new Opener(key, 'g');
    const text = 'the secret plan, in full';
    const packet = sealer.seal(enc(text));
    expect(contains(packet, enc(text))).toBe(false);
    expect(contains(packet, enc('secret'))).toBe(false);
    expect(opened(opener.open('alice', packet))).toBe(text);
    expect(opened(opener.open('alice', sealer.seal(enc(''))))).toBe('');
  });

  it('rejects a replay, even after later messages', () => {
    const sealer = new Sealer(key, 'g', 'alice');
    const opener = new Opener(key, 'g');
    const first = sealer.seal(enc('1'));
    expect(opened(opener.open('alice', first))).toBe('1');
    expect(opener.open('alice', first)).toEqual({ ok: false, reason: 'replayed' });
    expect(opened(opener.open('alice', sealer.seal(enc('2'))))).toBe('2');
    expect(opener.open('alice', first)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('rejects a message attributed to another sender (re-attribution)', () => {
    const packet = new Sealer(key, 'g', 'alice').seal(enc('from alice'));
    const opener = new Opener(key, 'g');
    expect(opener.open('mallory', packet)).toEqual({ ok: false, reason: 'forged' });
    // Failed attempts leave no state: the real sender's message still opens.
    expect(opened(opener.open('alice', packet))).toBe('from alice');
  });

  it('rejects other keys, other groups, any changed byte and short or unknown-version packets', () => {
    const packet = new Sealer(key, 'g', 'alice').seal(enc('hello world'));
    expect(new Opener(freshObjectKey(), 'g').open('alice', packet)).toEqual({ ok: false, reason: 'forged' });
    expect(new Opener(key, 'h').open('alice', packet)).toEqual({ ok: false, reason: 'forged' });
    for (let i = 1; i < packet.length; i++) {
      const changed = packet.slice();
      changed[i]! ^= 0x01;
      expect(new Opener(key, 'g').open('alice', changed), `byte ${i}`).toEqual({
        ok: false,
        reason: 'forged',
      });
    }
    const version = packet.slice();
    version[0] = 9;
    expect(new Opener(key, 'g').open('alice', version)).toEqual({ ok: false, reason: 'malformed' });
    expect(new Opener(key, 'g').open('alice', packet.subarray(0, 40))).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('a restarted sender (new sealer, same id) is accepted; its old messages stay replays', () => {
    const opener = new Opener(key, 'g');
    const before = new Sealer(key, 'g', 'alice');
    const old = before.seal(enc('old'));
    expect(opened(opener.open('alice', old))).toBe('old');
    const after = new Sealer(key, 'g', 'alice');
    const fresh = after.seal(enc('new'));
    // Both start at counter 1: the epochs (hence the keys) differ, so no (key, nonce) repeats.
    expect(Buffer.from(fresh.subarray(1, 17)).equals(Buffer.from(old.subarray(1, 17)))).toBe(false);
    expect(Buffer.from(fresh.subarray(17, 25)).equals(Buffer.from(old.subarray(17, 25)))).toBe(true);
    expect(opened(opener.open('alice', fresh))).toBe('new');
    expect(opener.open('alice', old)).toEqual({ ok: false, reason: 'replayed' });
    expect(opener.open('alice', fresh)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('a late joiner opens a stream from wherever it starts', () => {
    const sealer = new Sealer(key, 'g', 'alice');
    for (let i = 0; i < 5; i++) sealer.seal(enc(`before ${i}`));
    const joiner = new Opener(key, 'g');
    expect(opened(joiner.open('alice', sealer.seal(enc('after'))))).toBe('after');
  });

  it('checks the key length and names keys by a fingerprint that is not the key', () => {
    expect(() => new Sealer(new Uint8Array(16), 'g', 'a')).toThrow(
      /the key must be 32 bytes, this one has 16; use the reference the object was created with/,
    );
    expect(freshObjectKey()).toHaveLength(OBJECT_KEY_BYTES);
    const fp = keyFingerprint(key);
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(Buffer.from(key).toString('hex')).not.toContain(fp);
    expect(keyFingerprint(freshObjectKey())).not.toBe(fp);
  });
});

/** A channel whose deliveries the test makes, recording what is sent. */
class ScriptedChannel implements NamedGroupChannel {
  readonly sent: Uint8Array[] = [];
  readonly members: readonly MemberId[] = ['alice', 'bob'];
  private listener: ((sender: MemberId, data: Uint8Array) => void) | undefined;

  constructor(
    readonly self: MemberId,
    readonly group = 'g',
  ) {}

  send(data: Uint8Array): Promise<void> {
    this.sent.push(data);
    return Promise.resolve();
  }
  onMessage(listener: (sender: MemberId, data: Uint8Array) => void): () => void {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  onView(): () => void {
    return () => undefined;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  deliver(sender: MemberId, data: Uint8Array): void {
    this.listener?.(sender, data);
  }
}

describe('SealedGroupChannel', () => {
  it('delivers what opens, drops and counts the rest, and reports only the first drop', async () => {
    const key = freshObjectKey();
    const aliceWire = new ScriptedChannel('alice');
    const bobWire = new ScriptedChannel('bob');
    const alice = new SealedGroupChannel(aliceWire, key);
    const reports: string[] = [];
    const bob = new SealedGroupChannel(bobWire, key, {
      onFirstRejection: (reason, sender) => reports.push(`${reason} from ${sender}`),
    });
    const got: string[] = [];
    bob.onMessage((sender, data) => got.push(`${sender}: ${dec(data)}`));
    await alice.send(enc('hi bob'));
    const packet = aliceWire.sent[0]!;
    expect(contains(packet, enc('hi bob'))).toBe(false);
    bobWire.deliver('alice', packet);
    bobWire.deliver('alice', packet); // replay
    bobWire.deliver('mallory', packet); // re-attributed
    bobWire.deliver('mallory', enc('plain text from mallory')); // injected without the key
    for (let i = 0; i < 100; i++) {
      const forged = new Uint8Array(64).fill(i);
      forged[0] = packet[0]!; // the right version, so each one is tried and fails
      bobWire.deliver('mallory', forged);
    }
    expect(got).toEqual(['alice: hi bob']);
    expect(bob.rejected).toEqual({ malformed: 1, forged: 101, replayed: 1 });
    expect(bob.rejectedTotal).toBe(103);
    expect(reports).toEqual(['replayed from alice']);
  });
});

describe('liveobjects.sealed in a reference', () => {
  it('refuses a key of the wrong length, saying what to do', async () => {
    const runtime = createRuntime();
    const open = runtime.open({
      meta: {},
      types: [],
      reference: {
        kind: 'parameterized',
        template: { kind: 'primitive', id: 'liveobjects.sealed' },
        params: [
          {
            name: 'channel',
            value: { kind: 'reference', reference: qsmChannelReference({ host: '127.0.0.1', port: 9 }, 'g') },
          },
          { name: 'key', value: { kind: 'value', value: { type: 'bytes', value: new Uint8Array(31) } } },
        ],
      },
    });
    await expect(open).rejects.toThrow(
      'liveobjects.sealed: the key must be 32 bytes, this one has 31; use the reference the object was created with (or create a new object)',
    );
  });
});
