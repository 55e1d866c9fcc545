import fc from 'fast-check';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageKind, frame } from './kinds';
import { NoteModel } from './note-model';
import { FakeChannel } from './testing/fake-channel';

const created: { dispose(): void }[] = [];
afterEach(() => {
  for (const m of created.splice(0)) m.dispose();
});

function note(send: (u: Uint8Array) => void): NoteModel {
  const m = new NoteModel({ send });
  created.push(m);
  return m;
}

function group(ids: readonly string[]): { channel: FakeChannel; models: NoteModel[] } {
  const channel = new FakeChannel();
  const models = ids.map((id) => {
    const m = note(channel.sender(id));
    channel.add(id, m);
    return m;
  });
  return { channel, models };
}

/** The renderer's replica, linked to the host by two FIFO queues delivered on demand. */
class ViewLink {
  readonly doc = new Y.Doc();
  readonly toView: Uint8Array[] = [];
  readonly toHost: Uint8Array[] = [];

  constructor(readonly host: NoteModel) {
    Y.applyUpdate(this.doc, host.viewSync(), 'host');
    host.onViewUpdate((u) => this.toView.push(u));
    this.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'host') this.toHost.push(u);
    });
  }

  type(index: number, text: string): void {
    const t = this.doc.getText('text');
    t.insert(Math.min(index, t.length), text);
  }

  erase(index: number, n: number): void {
    const t = this.doc.getText('text');
    const at = Math.min(index, t.length);
    t.delete(at, Math.min(n, t.length - at));
  }

  step(pick: number): boolean {
    const down = this.toView.length > 0;
    const up = this.toHost.length > 0;
    if (!down && !up) return false;
    if (down && (!up || pick % 2 === 0)) Y.applyUpdate(this.doc, this.toView.shift() as Uint8Array, 'host');
    else this.host.applyViewUpdate(this.toHost.shift() as Uint8Array);
    return true;
  }

  flush(): void {
    while (this.step(0));
  }
}

function flushAll(channel: FakeChannel, links: readonly ViewLink[], picks: readonly number[] = []): void {
  let i = 0;
  for (;;) {
    const pick = picks[i] ?? i;
    i += 1;
    const link = links[pick % (links.length + 1)];
    if (link && link.step(pick >> 3)) continue;
    if (channel.deliver(pick >> 1)) continue;
    if (links.some((l) => l.step(0))) continue;
    break;
  }
}

function expectConverged(models: readonly NoteModel[], links: readonly ViewLink[] = []): void {
  const text = models[0]?.text();
  for (const m of models) {
    expect(m.text()).toBe(text);
    expect(m.view().length).toBe(text?.length);
    expect(m.stats.dropped).toBe(0);
  }
  for (const l of links) expect(l.doc.getText('text').toString()).toBe(text);
}

type Op =
  | { kind: 'type'; r: number; index: number; text: string }
  | { kind: 'erase'; r: number; index: number; n: number }
  | { kind: 'viewType'; r: number; index: number; text: string }
  | { kind: 'step'; pick: number }
  | { kind: 'join'; donor: number };

describe('NoteModel', () => {
  it('concurrent typing (host intents and views) converges under random interleavings, with late joiners', () => {
    const r = fc.nat(2);
    const index = fc.nat(40);
    const text = fc.string({ minLength: 1, maxLength: 5 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('type' as const), r, index, text }),
      fc.record({ kind: fc.constant('erase' as const), r, index, n: fc.nat(6) }),
      fc.record({ kind: fc.constant('viewType' as const), r, index, text }),
      fc.record({ kind: fc.constant('step' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('step' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('join' as const), donor: r }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), fc.array(fc.nat(), { maxLength: 100 }), (ops, picks) => {
        const { channel, models } = group(['a', 'b', 'c']);
        const all = [...models];
        const links = models.map((m) => new ViewLink(m));
        let late = 0;
        for (const o of ops) {
          if (o.kind === 'step') flushAll(channel, links, [o.pick, -1]);
          else if (o.kind === 'join') {
            const id = `late${late++}`;
            const m = note(channel.sender(id));
            channel.join(id, m, ['a', 'b', 'c'][o.donor] as string);
            all.push(m);
          } else if (o.kind === 'type') all[o.r]?.insert(o.index, o.text);
          else if (o.kind === 'erase') all[o.r]?.delete(o.index, o.n);
          else links[o.r]?.type(o.index, o.text);
        }
        flushAll(channel, links, picks);
        expectConverged(all, links);
      }),
      { numRuns: 150 },
    );
  });

  it('two users typing at the same place keep both edits', () => {
    const { channel, models } = group(['a', 'b']);
    const [a, b] = models as [NoteModel, NoteModel];
    a.insert(0, 'hello world');
    channel.flush();
    a.insert(5, ', dear');
    b.insert(5, ' there');
    b.delete(0, 1);
    channel.flush([1, 1, 1, 0, 0]);
    expectConverged([a, b]);
    expect(a.text()).toMatch(/^ello(, dear there| there, dear) world$/);
  });

  it('does not echo view edits back to the view, and forwards remote edits to it', () => {
    const { channel, models } = group(['a', 'b']);
    const [a, b] = models as [NoteModel, NoteModel];
    const toView: Uint8Array[] = [];
    a.onViewUpdate((u) => toView.push(u));
    const vdoc = new Y.Doc();
    vdoc.on('update', (u: Uint8Array) => a.applyViewUpdate(u));
    vdoc.getText('text').insert(0, 'typed');
    expect(toView).toHaveLength(0);
    channel.flush();
    expect(toView).toHaveLength(0); // our own echo changes nothing
    b.insert(5, '!');
    channel.flush();
    expect(toView).toHaveLength(1);
    for (const u of toView) Y.applyUpdate(vdoc, u, 'host');
    expect(vdoc.getText('text').toString()).toBe('typed!');
    expect(b.text()).toBe('typed!');
  });

  it('a late replica initialized from a checkpoint plus later updates equals the others', () => {
    const { channel, models } = group(['a', 'b']);
    const [a, b] = models as [NoteModel, NoteModel];
    a.insert(0, 'abc');
    channel.flush();
    b.insert(3, 'def'); // in flight at the cut
    const late = note(channel.sender('late'));
    channel.join('late', late, 'a');
    expect(late.text()).toBe('abc');
    a.insert(0, '>');
    late.insert(0, '#');
    channel.flush();
    expectConverged([a, b, late]);
    expect(late.text().length).toBe(8);
  });

  it('persist → restore → merge after the group moved on loses nothing on either side', () => {
    const { channel, models } = group(['a', 'b', 'c']);
    const [a, b, c] = models as [NoteModel, NoteModel, NoteModel];
    a.insert(0, 'shared text');
    channel.flush();
    const saved = c.persist();
    channel.leave('c');

    a.insert(0, 'GROUP ');
    channel.flush();
    b.delete(6 + 'shared'.length, 5); // " text"
    channel.flush();

    const offline = note(() => undefined);
    offline.restore(saved);
    offline.insert(offline.text().length, ' OFFLINE');
    offline.delete(0, 1);
    const saved2 = offline.persist();

    const back = note(channel.sender('c'));
    back.restore(saved2);
    channel.join('c', back, 'a');
    channel.flush();
    expectConverged([a, b, back]);
    expect(a.text()).toBe('GROUP hared OFFLINE');
  });

  it('a fresh joiner re-sends nothing', () => {
    const { channel, models } = group(['a']);
    models[0]?.insert(0, 'x');
    const sent: Uint8Array[] = [];
    const late = note((u) => sent.push(u));
    late.initialize((models[0] as NoteModel).checkpoint());
    expect(late.text()).toBe('x');
    expect(sent).toHaveLength(0);
    channel.flush();
  });

  it('shares presence through awareness, forwards it to views, withdraws it on detach, never persists it', () => {
    const { channel, models } = group(['a', 'b']);
    const [a, b] = models as [NoteModel, NoteModel];
    const toViewB: Uint8Array[] = [];
    b.onViewAwareness((u) => toViewB.push(u));

    const viewDoc = new Y.Doc();
    const viewAwareness = new Awareness(viewDoc);
    viewAwareness.setLocalState({ user: { name: 'Ann', color: '#f80' }, cursor: { anchor: 1, head: 2 } });
    a.applyViewAwareness(encodeAwarenessUpdate(viewAwareness, [viewDoc.clientID]));
    channel.flush();
    expect(b.view().peers).toEqual([
      { clientId: viewDoc.clientID, name: 'Ann', color: '#f80', hasCursor: true },
    ]);
    expect(a.view().peers).toEqual(b.view().peers);
    expect(toViewB).toHaveLength(1);
    // A view attaching later gets everything at once.
    const lateView = new Awareness(new Y.Doc());
    applyAwarenessUpdate(lateView, b.viewAwarenessSync(), 'host');
    expect(lateView.getStates().get(viewDoc.clientID)).toMatchObject({ user: { name: 'Ann' } });

    const restored = note(() => undefined);
    restored.restore(a.persist());
    expect(restored.view().peers).toEqual([]);

    a.detachView();
    channel.flush();
    expect(b.view().peers).toEqual([]);
    viewAwareness.destroy();
    lateView.destroy();
  });

  it('drops and counts malformed updates without throwing', () => {
    const { channel, models } = group(['a', 'b']);
    const [a, b] = models as [NoteModel, NoteModel];
    a.insert(0, 'keep');
    channel.flush();
    const valid = a.viewSync();
    const bad = [
      new Uint8Array(),
      new Uint8Array([MessageKind.NoteDocUpdate, 7, 0, 0]),
      frame(MessageKind.DesktopUpdate, valid),
      frame(MessageKind.NoteDocUpdate, new Uint8Array([1])),
      frame(MessageKind.NoteDocUpdate, valid.subarray(0, valid.length - 3)),
      frame(MessageKind.NoteDocUpdate, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2])),
      frame(MessageKind.NoteAwareness, new Uint8Array([1, 5, 1, 3, 0x7b])),
      frame(MessageKind.NoteState, valid),
    ];
    for (const u of bad) expect(() => b.receive('x', u)).not.toThrow();
    expect(b.stats.dropped).toBe(bad.length);
    expect(b.text()).toBe('keep');
    expect(() => b.restore(frame(MessageKind.NoteDocUpdate, valid))).toThrow(/Cannot restore the note/);
    expect(() => b.applyViewUpdate(new Uint8Array([9, 9, 9]))).toThrow(/Invalid note edit/);
  });
});
