import fc from 'fast-check';
import { digest } from 'lib0/hash/sha256';
import { describe, expect, it } from 'vitest';
import { IMAGE_LIMITS, encodeChunk } from './image-codec';
import { sniffImage } from './image-format';
import { ImageModel } from './image-model';
import { MessageKind, frame } from './kinds';
import { ModelError } from './model';
import { FakeChannel } from './testing/fake-channel';
import { jpeg, png, webp } from './testing/images';

function group(ids: readonly string[], now?: () => number): { channel: FakeChannel; models: ImageModel[] } {
  const channel = new FakeChannel();
  const models = ids.map((id) => {
    const m = new ImageModel(
      now ? { self: id, send: channel.sender(id), now } : { self: id, send: channel.sender(id) },
    );
    channel.add(id, m);
    return m;
  });
  return { channel, models };
}

function expectConverged(models: readonly ImageModel[]): void {
  const first = models[0] as ImageModel;
  for (const m of models) {
    expect(m.view()).toEqual(first.view());
    expect(m.view().uploads).toEqual([]);
    expect(sameBytes(m.bytes(), first.bytes())).toBe(true);
    expect(m.stats.dropped).toBe(0);
  }
}

const KB = 1024;

/** Vitest's deep equality is very slow on large typed arrays: compare as Buffers. */
function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b)));
}

describe('image format sniffing', () => {
  it('recognises PNG, JPEG and WebP and reads their size', () => {
    expect(sniffImage(png(100, 1, 640, 480))).toEqual({ mime: 'image/png', width: 640, height: 480 });
    expect(sniffImage(jpeg(100, 1, 300, 200))).toEqual({ mime: 'image/jpeg', width: 300, height: 200 });
    expect(sniffImage(webp(100, 1, 1000, 700))).toEqual({ mime: 'image/webp', width: 1000, height: 700 });
    expect(sniffImage(new TextEncoder().encode('GIF89a....'))).toBeUndefined();
    expect(sniffImage(new Uint8Array([0xff, 0xd8, 0xff]))).toEqual({ mime: 'image/jpeg' });
  });
});

describe('ImageModel', () => {
  it('converges to the newest complete version under random interleavings and late joins', () => {
    type Op =
      | { kind: 'set'; r: number; size: number; seed: number }
      | { kind: 'step'; pick: number }
      | { kind: 'join'; donor: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        r: fc.nat(2),
        size: fc.integer({ min: 40, max: 150 * KB }),
        seed: fc.nat(),
      }),
      fc.record({ kind: fc.constant('step' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('step' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('join' as const), donor: fc.nat(2) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), fc.array(fc.nat(), { maxLength: 200 }), (ops, picks) => {
        const { channel, models } = group(['a', 'b', 'c']);
        const all = [...models];
        const versions: string[] = [];
        for (const o of ops) {
          if (o.kind === 'step') channel.deliver(o.pick);
          else if (o.kind === 'join') {
            const id = `late${all.length}`;
            const m = new ImageModel({ self: id, send: channel.sender(id) });
            channel.join(id, m, ['a', 'b', 'c'][o.donor] as string);
            all.push(m);
          } else versions.push((all[o.r] as ImageModel).setImage(png(o.size, o.seed)));
        }
        channel.flush(picks);
        expectConverged(all);
        const newest = versions
          .map((v) => v.split('@') as [string, string])
          .sort(([t1, s1], [t2, s2]) => Number(t1) - Number(t2) || (s1 < s2 ? -1 : s1 > s2 ? 1 : 0))
          .pop();
        expect(all[0]?.view().version).toBe(newest ? newest.join('@') : null);
      }),
      { numRuns: 100 },
    );
  });

  it('chunks of two concurrent uploads arriving interleaved converge to the later version', () => {
    const { channel, models } = group(['a', 'b', 'c']);
    const [a, b, c] = models as [ImageModel, ImageModel, ImageModel];
    const first = png(300 * KB, 1);
    const second = jpeg(200 * KB, 2);
    expect(a.setImage(first)).toBe('1@a');
    expect(b.setImage(second)).toBe('1@b'); // same Lamport time: the sender id decides
    expect(a.view().version).toBe('1@a');
    // Alternate a's and b's chunks at c, and watch progress.
    const pending = (): number => c.view().uploads.length;
    let sawBoth = false;
    for (let i = 0; i < 200 && channel.pendingCount > 0; i++) {
      channel.deliver(i);
      if (pending() === 2) sawBoth = true;
    }
    channel.flush();
    expect(sawBoth).toBe(true);
    expectConverged([a, b, c]);
    expect(c.view()).toMatchObject({
      version: '1@b',
      mime: 'image/jpeg',
      width: 300,
      height: 200,
      size: 200 * KB,
    });
    expect(sameBytes(c.bytes(), second)).toBe(true);
    expect(sameBytes(c.blob(c.view().blobId as string), second)).toBe(true);
    expect(c.dataUrl()?.startsWith('data:image/jpeg;base64,/9j/')).toBe(true);

    // A version that completes first but is older does not override a newer one.
    const v3 = a.setImage(webp(100 * KB, 3)); // 2@a
    channel.flush();
    expect(c.view().version).toBe(v3);
  });

  it('a late joiner mid-upload completes the upload from checkpoint + later chunks', () => {
    const { channel, models } = group(['a', 'b']);
    const [a, b] = models as [ImageModel, ImageModel];
    a.setImage(png(500 * KB, 7));
    for (let i = 0; i < 6; i++) channel.deliver(1); // some chunks reach b
    expect(b.view().uploads[0]?.received).toBeGreaterThan(0);
    const late = new ImageModel({ self: 'late', send: channel.sender('late') });
    channel.join('late', late, 'b');
    expect(late.view().uploads).toHaveLength(1);
    channel.flush();
    expectConverged([a, b, late]);
    expect(late.view().version).toBe('1@a');
  });

  it('persist → restore → merge: the newer side wins and nothing is lost on either side', () => {
    const { channel, models } = group(['a', 'b', 'c']);
    const [a, b, c] = models as [ImageModel, ImageModel, ImageModel];
    a.setImage(png(60 * KB, 1));
    channel.flush();
    const saved = c.persist();
    channel.leave('c');

    // Offline, c makes a newer version than anything the group will do meanwhile.
    const offline = new ImageModel({ self: 'c', send: () => undefined });
    offline.restore(saved);
    offline.setImage(png(70 * KB, 2)); // 2@c
    offline.setImage(png(80 * KB, 3)); // 3@c
    const saved2 = offline.persist();
    b.setImage(jpeg(10 * KB, 4)); // 2@b
    channel.flush();

    const back = new ImageModel({ self: 'c', send: channel.sender('c') });
    back.restore(saved2);
    channel.join('c', back, 'a');
    channel.flush();
    expectConverged([a, b, back]);
    expect(a.view().version).toBe('3@c');
    expect(sameBytes(a.bytes(), png(80 * KB, 3))).toBe(true);

    // And the other way: the group moved further on; the stale local version yields.
    channel.leave('c');
    const stale = back.persist();
    a.setImage(webp(20 * KB, 5));
    a.setImage(webp(20 * KB, 6));
    channel.flush();
    const again = new ImageModel({ self: 'c', send: channel.sender('c') });
    again.restore(stale);
    channel.join('c', again, 'b');
    channel.flush();
    expectConverged([a, b, again]);
    expect(sameBytes(again.bytes(), webp(20 * KB, 6))).toBe(true);
  });

  it('refuses oversize and unknown-format images with a clear message', () => {
    const m = new ImageModel({ self: 'a', send: () => undefined });
    const catchError = (f: () => unknown): ModelError => {
      try {
        f();
      } catch (e) {
        if (e instanceof ModelError) return e;
      }
      throw new Error('expected a ModelError');
    };
    const big = catchError(() => m.setImage(png(IMAGE_LIMITS.maxBytes + 1)));
    expect(big.code).toBe('too-large');
    expect(big.message).toBe('The image is 8.0 MiB; shared images are limited to 8 MiB.');
    const gif = catchError(() => m.setImage(new TextEncoder().encode('GIF89a-not-supported')));
    expect(gif.code).toBe('unsupported-format');
    expect(gif.message).toMatch(/only PNG, JPEG and WebP/);
    expect(catchError(() => m.setImage(new Uint8Array())).code).toBe('invalid-argument');
    expect(m.view().version).toBeNull();
  });

  it('drops and counts malformed chunks, and chunks whose digest does not match', () => {
    const { channel, models } = group(['a', 'b']);
    const [a, b] = models as [ImageModel, ImageModel];
    a.setImage(png(1000, 1));
    channel.flush();
    const before = b.view();
    const image = png(2000, 9);
    const sha256 = digest(image);
    const chunk = (over: Partial<Parameters<typeof encodeChunk>[0]>): Uint8Array =>
      frame(
        MessageKind.ImageChunk,
        encodeChunk({
          stamp: { t: 50, s: 'x' },
          count: 1,
          total: image.length,
          sha256,
          index: 0,
          data: image,
          ...over,
        }),
      );
    const bad = [
      new Uint8Array([MessageKind.ImageChunk]),
      frame(MessageKind.NoteDocUpdate, new Uint8Array(10)),
      frame(MessageKind.ImageChunk, new Uint8Array([1, 2, 3])),
      chunk({ index: 1 }),
      chunk({ count: 0 }),
      chunk({ total: IMAGE_LIMITS.maxBytes + 1 }),
      chunk({ stamp: { t: 0, s: 'x' } }),
      chunk({ data: new Uint8Array(IMAGE_LIMITS.maxChunkBytes + 1), total: IMAGE_LIMITS.maxChunkBytes + 1 }),
      chunk({ sha256: digest(png(2000, 10)) }), // complete, but the digest is wrong
      chunk({
        stamp: { t: 51, s: 'x' },
        sha256: digest(new TextEncoder().encode('GIF89a')),
        data: new TextEncoder().encode('GIF89a'),
        total: 6,
      }),
      chunk({ stamp: { t: 52, s: 'x' }, data: image.subarray(0, 10) }), // fewer bytes than announced
      frame(MessageKind.ImageChunk, new Uint8Array([...encodeChunkBytes(), 0])), // trailing byte
    ];
    function encodeChunkBytes(): Uint8Array {
      return encodeChunk({
        stamp: { t: 53, s: 'x' },
        count: 1,
        total: image.length,
        sha256,
        index: 0,
        data: image,
      });
    }
    for (const u of bad) expect(() => b.receive('x', u)).not.toThrow();
    expect(b.stats.dropped).toBe(bad.length);
    expect(b.view()).toEqual(before);
    expect(() => b.restore(new Uint8Array([MessageKind.ImageState, 1, 1]))).toThrow(
      /Cannot restore the image/,
    );
  });

  it('abandons uploads that stop arriving', () => {
    let now = 1_000;
    const { channel, models } = group(['a', 'b'], () => now);
    const [a, b] = models as [ImageModel, ImageModel];
    a.setImage(png(200 * KB, 1));
    channel.deliver(1); // b gets one chunk (queues: a→a, a→b)
    channel.deliver(1);
    expect(b.view().uploads).toEqual([{ version: '1@a', received: expect.any(Number), count: 5 }]);
    now += IMAGE_LIMITS.uploadTimeoutMs - 1;
    expect(b.expire()).toBe(0);
    now += 1;
    expect(b.expire()).toBe(1);
    expect(b.view().uploads).toEqual([]);
    expect(b.view().version).toBeNull();
  });

  it('notifies subscribers with JSON-able views', () => {
    const m = new ImageModel({ self: 'a', send: () => undefined });
    const views: unknown[] = [];
    m.subscribe((v) => views.push(v));
    m.setImage(png(100, 1, 2, 3));
    expect(views).toEqual([
      {
        version: '1@a',
        mime: 'image/png',
        width: 2,
        height: 3,
        size: 100,
        blobId: expect.stringMatching(/^[0-9a-f]{64}$/),
        uploads: [],
      },
    ]);
    expect(JSON.parse(JSON.stringify(m.view()))).toEqual(m.view());
  });
});
