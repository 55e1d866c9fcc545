// liveobjects.note as a UI object. The text lives in a Yjs document; the view keeps its own
// replica: `show` carries `note.update` / `note.awareness` (Yjs / awareness update bytes)
// plus `state` = `{ kind: 'note', length, peers }`. A view's own edits are not echoed to it, but other
// views of the same instance in this process get them (echo).
import type { Intent } from '../../../src-shared/bridge/protocol';
import { ModelError } from '../models/model';
import { NoteModel } from '../models/note-model';
import type { UiAdapter } from './ui-object';

export const noteAdapter: UiAdapter<NoteModel, 'note'> = {
  kind: 'note',
  create: (ctx) => new NoteModel({ send: ctx.send }),
  snapshot: (model) => [
    { t: 'state', state: { ...model.view(), kind: 'note' } },
    { t: 'note.update', update: model.viewSync() },
    { t: 'note.awareness', update: model.viewAwarenessSync() },
  ],
  subscribe(model, emit) {
    const subs = [
      model.subscribe((view) => emit({ t: 'state', state: { ...view, kind: 'note' } })),
      model.onViewUpdate((update) => emit({ t: 'note.update', update })),
      model.onViewAwareness((update) => emit({ t: 'note.awareness', update })),
    ];
    return () => subs.forEach((u) => u());
  },
  act(model, intent: Intent) {
    switch (intent.kind) {
      case 'note.update':
        return model.applyViewUpdate(intent.update);
      case 'note.awareness':
        return model.applyViewAwareness(intent.update);
      default:
        throw new ModelError('invalid-argument', `a note does not understand '${intent.kind}'`);
    }
  },
  echo: (intent) =>
    intent.kind === 'note.update' || intent.kind === 'note.awareness'
      ? { t: intent.kind, update: intent.update }
      : undefined,
  detached: (model) => model.detachView(),
};
