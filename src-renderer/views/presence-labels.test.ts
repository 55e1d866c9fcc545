// A remote user's name label is up while they are active and fades LABEL_VISIBLE_MS after.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { NoteIntent } from './note-replica';
import { NoteReplica, userColors } from './note-replica';
import type { AwarenessChange } from './presence-labels';
import { LABEL_VISIBLE_MS, RemoteActivity } from './presence-labels';

/** Two replicas relaying to each other, like the host does. */
function pair(): { a: NoteReplica; b: NoteReplica } {
  const views: { a?: NoteReplica; b?: NoteReplica } = {};
  const to = (target: 'a' | 'b') => (intent: NoteIntent) => {
    const view = views[target];
    if (!view) return;
    if (intent.kind === 'note.update') view.applyRemoteUpdate(intent.update);
    else view.applyRemoteAwareness(intent.update);
  };
  views.a = new NoteReplica(to('b'));
  views.b = new NoteReplica(to('a'));
  return { a: views.a, b: views.b };
}

describe('RemoteActivity', () => {
  it("shows a remote user's name while they move, fades it after, and brings it back on the next move", () => {
    const { a, b } = pair();
    let now = 1_000;
    const activity = new RemoteActivity(b.awareness, () => now);
    b.awareness.on('change', (change: AwarenessChange) => activity.record(change));
    b.setUser({ name: 'Bob', ...userColors('Bob') });
    expect(activity.activeNames()).toEqual(new Set());

    a.text.insert(0, 'hello');
    a.setUser({ name: 'Ann', ...userColors('Ann') });
    expect(activity.activeNames()).toEqual(new Set(['Ann']));
    expect(activity.nextFadeIn()).toBe(LABEL_VISIBLE_MS);

    now += LABEL_VISIBLE_MS - 1;
    expect(activity.activeNames()).toEqual(new Set(['Ann']));
    now += 1;
    expect(activity.activeNames()).toEqual(new Set());
    expect(activity.nextFadeIn()).toBeUndefined();

    // Ann moves her caret: her name is back.
    const anchor = Y.createRelativePositionFromTypeIndex(a.text, 2);
    a.awareness.setLocalStateField('cursor', { anchor, head: anchor });
    expect(activity.activeNames()).toEqual(new Set(['Ann']));

    // Ann leaves: nothing to show.
    a.dispose();
    expect(activity.activeNames()).toEqual(new Set());
    b.dispose();
  });
});
