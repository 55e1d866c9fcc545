// liveobjects.note as a UI object. The text lives in a Yjs document; the view keeps its own
// replica: `show` carries `note.update` / `note.awareness` (base64 Yjs / awareness updates)
// plus `state` = `{ length, peers }`. A view's own edits are not echoed to it, but other
// views of the same instance in this process get them (echo).
import type { Intent } from '../../../src-shared/bridge/protocol';
import { ModelError } from '../models/model';
import { NoteModel } from '../models/note-model';
import type { UiAdapter } from './ui-object';
import { fromBase64, toBase64 } from './wire';

export const noteAdapter: UiAdapter<NoteModel> = {
  kind: 'note',
  create: (ctx) => new NoteModel({ send: ctx.send }),
  snapshot: (model) => [
    { t: 'state', state: model.view() },
    { t: 'note.update', update: toBase64(model.viewSync()) },
    { t: 'note.awareness', update: toBase64(model.viewAwarenessSync()) },
  ],
  subscribe(model, emit) {
    const subs = [
      model.subscribe((view) => emit({ t: 'state', state: view })),
      model.onViewUpdate((u) => emit({ t: 'note.update', update: toBase64(u) })),
      model.onViewAwareness((u) => emit({ t: 'note.awareness', update: toBase64(u) })),
    ];
    return () => subs.forEach((u) => u());
  },
  act(model, intent: Intent) {
    switch (intent.kind) {
      case 'note.update':
        return model.applyViewUpdate(fromBase64(intent.update, 'the note edit'));
      case 'note.awareness':
        return model.applyViewAwareness(fromBase64(intent.update, 'the presence update'));
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
