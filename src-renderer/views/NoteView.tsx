// A shared text note: CodeMirror 6 bound by y-codemirror.next to this handle's local Y.Doc
// replica. yCollab shows remote cursors from awareness, presenceLabels their users' names while
// they are active, and yCollab gives each user an undo stack of their own edits only.
import { useEffect, useRef } from 'react';
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, keymap, placeholder } from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import * as Y from 'yjs';
import { useWorkspace } from '../app/stores/workspace';
import { noteReplicas } from './note-replicas';
import { userColors } from './note-replica';
import { presenceLabels } from './presence-labels';

export function NoteView({ handle }: { handle: string }): React.JSX.Element {
  const parentRef = useRef<HTMLDivElement>(null);
  const userName = useWorkspace((s) => s.host?.userName) ?? 'Someone';

  useEffect(() => {
    const parent = parentRef.current;
    if (!parent) return;
    const replica = noteReplicas.get(handle);
    replica.setUser({ name: userName, ...userColors(userName) });
    const undoManager = new Y.UndoManager(replica.text);
    const view = new EditorView({
      parent,
      state: EditorState.create({
        doc: replica.text.toString(),
        extensions: [
          yCollab(replica.text, replica.awareness, { undoManager }),
          presenceLabels(replica.awareness),
          // Undo/redo come from Yjs (own edits only); the rest is CodeMirror's standard keymap.
          keymap.of([...yUndoManagerKeymap, ...defaultKeymap, indentWithTab]),
          drawSelection(),
          EditorView.lineWrapping,
          placeholder('Write something; everyone with this note open sees it.'),
          EditorView.contentAttributes.of({ 'data-testid': 'note-editor', 'aria-label': 'Note text' }),
        ],
      }),
    });
    return () => {
      view.destroy();
      undoManager.destroy();
    };
  }, [handle, userName]);

  return <div className="note-view" data-testid="note-view" data-handle={handle} ref={parentRef} />;
}
