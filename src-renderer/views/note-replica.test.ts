// Two note views connected through a stand-in host that relays intents as events, the way
// the real host does: updates from a view go to the others, never back to it.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { NoteIntent } from './note-replica';
import { NoteReplica, REMOTE, userColors } from './note-replica';
import { NoteReplicas } from './note-replicas';

function pair() {
  const sent: Array<{ from: string; intent: NoteIntent }> = [];
  const views: Record<string, NoteReplica> = {};
  const relay = (from: string) => (intent: NoteIntent) => {
    sent.push({ from, intent });
    for (const [name, view] of Object.entries(views)) {
      if (name === from) continue;
      if (intent.kind === 'note.update') view.applyRemoteUpdate(intent.update);
      else view.applyRemoteAwareness(intent.update);
    }
  };
  views.a = new NoteReplica(relay('a'));
  views.b = new NoteReplica(relay('b'));
  return { a: views.a, b: views.b, sent };
}

describe('NoteReplica', () => {
  it('sends local edits as update bytes and does not echo remote ones', () => {
    const { a, b, sent } = pair();
    a.text.insert(0, 'hello');
    expect(b.text.toString()).toBe('hello');
    expect(sent.map((s) => [s.from, s.intent.kind])).toEqual([['a', 'note.update']]);
    b.text.insert(5, ' world');
    expect(a.text.toString()).toBe('hello world');
    expect(sent.filter((s) => s.intent.kind === 'note.update')).toHaveLength(2);
  });

  it('shares names and cursors through awareness', () => {
    const { a, b, sent } = pair();
    a.setUser({ name: 'Ann', ...userColors('Ann') });
    expect(sent.at(-1)).toMatchObject({ from: 'a', intent: { kind: 'note.awareness' } });
    const seen = b.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } } | undefined;
    expect(seen?.user?.name).toBe('Ann');
    a.dispose();
    expect(b.awareness.getStates().has(a.doc.clientID)).toBe(false);
  });

  it("undoes one's own edits only", () => {
    const { a, b } = pair();
    const undo = new Y.UndoManager(a.text, { trackedOrigins: new Set([null]) });
    a.text.insert(0, 'mine ');
    b.text.insert(5, 'theirs');
    undo.undo();
    expect(a.text.toString()).toBe('theirs');
    expect(b.text.toString()).toBe('theirs');
    undo.destroy();
  });

  it('marks host updates with the remote origin', () => {
    const source = new Y.Doc();
    source.getText('text').insert(0, 'from host');
    const replica = new NoteReplica(() => {
      throw new Error('must not echo');
    });
    const origins: unknown[] = [];
    replica.doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
    replica.applyRemoteUpdate(Y.encodeStateAsUpdate(source));
    expect(replica.text.toString()).toBe('from host');
    expect(origins).toEqual([REMOTE]);
    expect(() => replica.applyRemoteUpdate(new Uint8Array([0xff, 0xff, 0xff]))).toThrow();
  });
});

describe('NoteReplicas', () => {
  it('keeps one replica per handle and ignores events after close', () => {
    const intents: string[] = [];
    const replicas = new NoteReplicas();
    replicas.connect((handle, intent) => intents.push(`${handle}:${intent.kind}`));
    expect(replicas.get('h1')).toBe(replicas.get('h1'));
    replicas.get('h1').text.insert(0, 'x');
    expect(intents).toEqual(['h1:note.update']);
    replicas.dispose('h1');
    expect(replicas.has('h1')).toBe(false);
    expect(replicas.forEvent('h1')).toBeUndefined();
    expect(replicas.forEvent('h2')).toBeDefined();
  });

  it('gives each name a stable colour', () => {
    expect(userColors('Ann')).toEqual(userColors('Ann'));
    expect(userColors('Ann').color).not.toBe(userColors('Bob').color);
  });
});

describe('NoteReplicas after a reconnect', () => {
  it('drops replicas of dead handles without sending anything', () => {
    const intents: string[] = [];
    const replicas = new NoteReplicas();
    replicas.connect((handle, intent) => intents.push(`${handle}:${intent.kind}`));
    replicas.get('old').setUser({ name: 'Ann', ...userColors('Ann') });
    intents.length = 0;
    replicas.clear();
    expect(intents).toEqual([]);
    expect(replicas.has('old')).toBe(false);
  });
});
