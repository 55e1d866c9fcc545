// The note view's local replica: a Y.Doc (Y.Text 'text') and a y-protocols Awareness. Local
// edits and presence go to the host as intents; the host's updates are applied with REMOTE as
// origin, so they are neither echoed back nor recorded by the undo manager.
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Intent } from '../../src-shared/bridge/protocol';

export const REMOTE = Symbol('remote');

export type NoteIntent = Extract<Intent, { kind: 'note.update' | 'note.awareness' }>;

interface AwarenessChange {
  readonly added: readonly number[];
  readonly updated: readonly number[];
  readonly removed: readonly number[];
}

export interface NoteUser {
  readonly name: string;
  readonly color: string;
  readonly colorLight: string;
}

export class NoteReplica {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText('text');
  readonly awareness = new Awareness(this.doc);
  readonly #send: (intent: NoteIntent) => void;
  #disposed = false;

  constructor(send: (intent: NoteIntent) => void) {
    this.#send = send;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE && !this.#disposed) this.#send({ kind: 'note.update', update });
    });
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) => {
      if (origin !== 'local' || this.#disposed) return;
      const clients = [...change.added, ...change.updated, ...change.removed];
      this.#send({
        kind: 'note.awareness',
        update: encodeAwarenessUpdate(this.awareness, clients),
      });
    });
  }

  /** Applies a host `note.update` (a Yjs update). Throws on malformed data. */
  applyRemoteUpdate(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, REMOTE);
  }

  /** Applies a host `note.awareness` (an awareness update). Throws on malformed data. */
  applyRemoteAwareness(update: Uint8Array): void {
    applyAwarenessUpdate(this.awareness, update, REMOTE);
  }

  setUser(user: NoteUser): void {
    this.awareness.setLocalStateField('user', user);
  }

  /**
   * Frees the replica. With `farewell`, first withdraws our presence: only while the handle
   * is still open (not after a reconnect, when the host no longer knows it).
   */
  dispose(farewell = true): void {
    if (this.#disposed) return;
    if (farewell) removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
    this.#disposed = true;
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** A stable, readable colour per name, for remote cursors. */
export function userColors(name: string): { color: string; colorLight: string } {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  const hue = hash % 360;
  return { color: `hsl(${hue} 65% 45%)`, colorLight: `hsl(${hue} 70% 45% / 0.25)` };
}
