// The baseline page: the note editor of src-renderer/views/NoteView.tsx (CodeMirror 6 +
// y-codemirror.next, same extensions) over Yjs's standard transport, y-websocket, instead of the
// Live Objects bridge. URL parameters: ws (server URL), room, name.
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, keymap, placeholder } from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

const params = new URLSearchParams(location.search);
const doc = new Y.Doc();
const text = doc.getText('text');
// No BroadcastChannel shortcut between tabs: every update goes through the server.
const provider = new WebsocketProvider(params.get('ws') ?? '', params.get('room') ?? 'bench', doc, {
  disableBc: true,
});
provider.awareness.setLocalStateField('user', {
  name: params.get('name') ?? 'someone',
  color: '#1f77b4',
  colorLight: '#1f77b433',
});
provider.on('sync', (synced: boolean) => {
  if (synced) document.body.dataset.synced = 'true';
});
provider.awareness.on('change', () => {
  document.body.dataset.peers = String(provider.awareness.getStates().size);
});

const parent = document.getElementById('editor');
if (parent) {
  const undoManager = new Y.UndoManager(text);
  new EditorView({
    parent,
    state: EditorState.create({
      doc: text.toString(),
      extensions: [
        yCollab(text, provider.awareness, { undoManager }),
        keymap.of([...yUndoManagerKeymap, ...defaultKeymap, indentWithTab]),
        drawSelection(),
        EditorView.lineWrapping,
        placeholder('Write something; everyone with this note open sees it.'),
        EditorView.contentAttributes.of({ 'data-testid': 'note-editor', 'aria-label': 'Note text' }),
      ],
    }),
  });
}
