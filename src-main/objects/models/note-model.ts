// liveobjects.note: a shared text note. The state is a Yjs document with one Y.Text named
// 'text'; remote cursors and names travel as y-protocols awareness updates on the same
// channel under their own kind byte, and are never persisted.
//
// Host ↔ view: the renderer keeps its own Y.Doc replica bound to CodeMirror. It sends its
// Yjs updates to applyViewUpdate and receives, through onViewUpdate, every change that did
// not come from it (remote, restore, host intents); transaction origins keep that loop from
// echoing. Awareness goes the same way (applyViewAwareness / onViewAwareness).
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import { Emitter } from './emitter';
import { MessageKind, frame, unframe } from './kinds';
import { ModelError } from './model';
import type { ReplicatedModel, Send } from './model';
import { ModelBase } from './model-base';

export const NOTE_TYPE = 'liveobjects.note';

export const NOTE_LIMITS = {
  /** Local edits that would make the note longer than this (UTF-16 units) are refused. */
  maxTextLength: 1_000_000,
  /** Remote and view messages larger than this are dropped / refused. */
  maxUpdateBytes: 16 * 1024 * 1024,
} as const;

/** Another participant's presence, from awareness (y-codemirror.next's `user` field). */
export interface NotePeer {
  readonly clientId: number;
  readonly name?: string;
  readonly color?: string;
  readonly hasCursor: boolean;
}

export interface NoteView {
  /** Text length in UTF-16 code units; the text itself flows to the view as Yjs updates. */
  readonly length: number;
  /** Everybody with an awareness state (our own view's clients included), by clientId. */
  readonly peers: readonly NotePeer[];
}

export interface NoteModelOptions {
  readonly send: Send;
}

// Transaction / awareness origins: who caused a change decides where it is forwarded.
const FROM_VIEW = Symbol('view');
const FROM_HOST = Symbol('host');
const FROM_GROUP = Symbol('group');
const FROM_DISK = Symbol('disk');

export class NoteModel extends ModelBase<NoteView> implements ReplicatedModel<NoteView> {
  readonly type = NOTE_TYPE;
  readonly #doc = new Y.Doc();
  readonly #text = this.#doc.getText('text');
  readonly #awareness = new Awareness(this.#doc);
  readonly #viewUpdates = new Emitter<Uint8Array>();
  readonly #viewAwareness = new Emitter<Uint8Array>();
  /** Awareness clients that belong to our view, removed from the group when it detaches. */
  readonly #viewClients = new Set<number>();

  constructor(options: NoteModelOptions) {
    super(options.send);
    // The host itself is not a participant; only views publish presence.
    this.#awareness.setLocalState(null);
    this.#doc.on('update', (update: Uint8Array, origin: unknown) => this.#onDocUpdate(update, origin));
    this.#awareness.on('update', (change: AwarenessChange, origin: unknown) =>
      this.#onAwarenessUpdate(change, origin),
    );
    this.#awareness.on('change', () => this.changed());
  }

  text(): string {
    return this.#text.toString();
  }

  // ---- host-side intents (CLI, tests, scripting) ----------------------------------------------

  insert(index: number, content: string): void {
    if (typeof content !== 'string') throw new ModelError('invalid-argument', 'Text must be a string.');
    this.#checkLength(this.#text.length + content.length);
    const at = Math.max(0, Math.min(this.#text.length, Math.trunc(index) || 0));
    this.#doc.transact(() => this.#text.insert(at, content), FROM_HOST);
  }

  delete(index: number, length: number): void {
    const at = Math.max(0, Math.min(this.#text.length, Math.trunc(index) || 0));
    const n = Math.max(0, Math.min(this.#text.length - at, Math.trunc(length) || 0));
    if (n > 0) this.#doc.transact(() => this.#text.delete(at, n), FROM_HOST);
  }

  // ---- the view's replica ---------------------------------------------------------------------

  /** Applies a Yjs update made by the view's replica; it is multicast, not echoed back. */
  applyViewUpdate(update: Uint8Array): void {
    if (update.length > NOTE_LIMITS.maxUpdateBytes)
      throw new ModelError('too-large', 'The edit is too large.');
    const reason = invalidYjsUpdate(update);
    if (reason) throw new ModelError('invalid-argument', `Invalid note edit: ${reason}.`);
    Y.applyUpdate(this.#doc, update, FROM_VIEW);
    if (this.#text.length > NOTE_LIMITS.maxTextLength) {
      // Already applied (Yjs cannot reject a merged update); say so so the view can warn.
      throw new ModelError('too-large', `The note is longer than ${NOTE_LIMITS.maxTextLength} characters.`);
    }
  }

  /** Document updates the view must apply (everything that did not come from it). */
  onViewUpdate(listener: (update: Uint8Array) => void): () => void {
    return this.#viewUpdates.subscribe(listener);
  }

  /** What a view replica with state vector `stateVector` (none: an empty replica) lacks. */
  viewSync(stateVector?: Uint8Array): Uint8Array {
    return Y.encodeStateAsUpdate(this.#doc, stateVector);
  }

  /** The host's state vector: a reattaching view sends Y.encodeStateAsUpdate(viewDoc, it). */
  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.#doc);
  }

  /** Applies an awareness update from the view (its cursor and user name); it is multicast. */
  applyViewAwareness(update: Uint8Array): void {
    if (update.length > NOTE_LIMITS.maxUpdateBytes)
      throw new ModelError('too-large', 'The presence update is too large.');
    try {
      applyAwarenessUpdate(this.#awareness, update, FROM_VIEW);
    } catch {
      throw new ModelError('invalid-argument', 'Invalid presence update.');
    }
  }

  /** Awareness updates the view must apply (remote participants, timeouts). */
  onViewAwareness(listener: (update: Uint8Array) => void): () => void {
    return this.#viewAwareness.subscribe(listener);
  }

  /** Every known awareness state, for a view that just attached. */
  viewAwarenessSync(): Uint8Array {
    return encodeAwarenessUpdate(this.#awareness, [...this.#awareness.getStates().keys()]);
  }

  /** The view went away: its presence is withdrawn from the group. */
  detachView(): void {
    if (this.#viewClients.size > 0) removeAwarenessStates(this.#awareness, [...this.#viewClients], FROM_HOST);
  }

  // ---- checkpointed client --------------------------------------------------------------------

  receive(_sender: string, update: Uint8Array): void {
    this.countReceived();
    const framed = unframe(update);
    if (!framed.ok) return this.drop(`note: ${framed.reason}`);
    if (framed.payload.length > NOTE_LIMITS.maxUpdateBytes) return this.drop('note: update too large');
    if (framed.kind === MessageKind.NoteDocUpdate) {
      const reason = invalidYjsUpdate(framed.payload);
      if (reason) return this.drop(`note: ${reason}`);
      try {
        Y.applyUpdate(this.#doc, framed.payload, FROM_GROUP);
      } catch (error) {
        this.drop(`note: update failed to apply: ${String(error)}`);
      }
      return;
    }
    if (framed.kind === MessageKind.NoteAwareness) {
      try {
        applyAwarenessUpdate(this.#awareness, framed.payload, FROM_GROUP);
      } catch {
        this.drop('note: malformed awareness update');
      }
      return;
    }
    this.drop(`note: unexpected message kind ${framed.kind}`);
  }

  initialize(checkpoint: Uint8Array): void {
    this.markJoined();
    const state = this.#decodeState(checkpoint);
    if (typeof state === 'string') return this.drop(state);
    let missing: Uint8Array[];
    try {
      missing = this.#missingFrom(state);
      Y.applyUpdate(this.#doc, state, FROM_GROUP);
    } catch (error) {
      return this.drop(`note state: failed to apply: ${String(error)}`);
    }
    for (const update of missing) this.send(frame(MessageKind.NoteDocUpdate, update));
  }

  checkpoint(): Uint8Array {
    return frame(MessageKind.NoteState, Y.encodeStateAsUpdate(this.#doc));
  }

  // ---- persistence ----------------------------------------------------------------------------

  persist(): Uint8Array {
    return this.checkpoint();
  }

  restore(bytes: Uint8Array): void {
    const state = this.#decodeState(bytes);
    if (typeof state === 'string')
      throw new ModelError('invalid-state', `Cannot restore the note: ${state}.`);
    // FROM_DISK updates are multicast only once joined (see #onDocUpdate).
    try {
      Y.applyUpdate(this.#doc, state, FROM_DISK);
    } catch (error) {
      throw new ModelError('invalid-state', `Cannot restore the note: ${String(error)}.`);
    }
  }

  override dispose(): void {
    this.detachView();
    super.dispose();
    this.#viewUpdates.clear();
    this.#viewAwareness.clear();
    this.#awareness.destroy();
    this.#doc.destroy();
  }

  // ---- internals ------------------------------------------------------------------------------

  protected computeView(): NoteView {
    const peers: NotePeer[] = [];
    for (const [clientId, state] of this.#awareness.getStates()) {
      if (clientId === this.#awareness.clientID) continue;
      peers.push(peerOf(clientId, state));
    }
    peers.sort((a, b) => a.clientId - b.clientId);
    return { length: this.#text.length, peers };
  }

  #onDocUpdate(update: Uint8Array, origin: unknown): void {
    const local = origin === FROM_VIEW || origin === FROM_HOST || (origin === FROM_DISK && this.joined);
    if (local) this.send(frame(MessageKind.NoteDocUpdate, update));
    if (origin !== FROM_VIEW) this.#viewUpdates.emit(update);
    this.changed();
  }

  #onAwarenessUpdate(change: AwarenessChange, origin: unknown): void {
    if (origin === FROM_VIEW) {
      for (const id of [...change.added, ...change.updated]) this.#viewClients.add(id);
      for (const id of change.removed) this.#viewClients.delete(id);
    }
    const clients = [...change.added, ...change.updated, ...change.removed];
    if (clients.length === 0) return;
    const update = encodeAwarenessUpdate(this.#awareness, clients);
    // Timeouts are local decisions of every replica: they are not multicast.
    if (origin === FROM_VIEW || origin === FROM_HOST) this.send(frame(MessageKind.NoteAwareness, update));
    if (origin !== FROM_VIEW) this.#viewAwareness.emit(update);
    if (origin === FROM_HOST) for (const id of change.removed) this.#viewClients.delete(id);
  }

  #checkLength(length: number): void {
    if (length > NOTE_LIMITS.maxTextLength) {
      throw new ModelError('too-large', `A note holds at most ${NOTE_LIMITS.maxTextLength} characters.`);
    }
  }

  /** The payload of a NoteState, or why it is not one. */
  #decodeState(bytes: Uint8Array): Uint8Array | string {
    const framed = unframe(bytes);
    if (!framed.ok) return `note state: ${framed.reason}`;
    if (framed.kind !== MessageKind.NoteState) return `note state: unexpected kind ${framed.kind}`;
    const reason = invalidYjsUpdate(framed.payload);
    return reason ? `note state: ${reason}` : framed.payload;
  }

  /** The updates that would change a replica holding exactly `groupState`: what the group lacks. */
  #missingFrom(groupState: Uint8Array): Uint8Array[] {
    const probe = new Y.Doc();
    try {
      Y.applyUpdate(probe, groupState);
      const missing: Uint8Array[] = [];
      probe.on('update', (update: Uint8Array) => missing.push(update));
      Y.applyUpdate(probe, Y.encodeStateAsUpdate(this.#doc));
      return missing;
    } finally {
      probe.destroy();
    }
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/** Yjs decoders throw on truncated or garbled input; decoding first keeps the doc untouched. */
function invalidYjsUpdate(update: Uint8Array): string | undefined {
  if (update.length < 2) return 'empty Yjs update';
  try {
    Y.decodeUpdate(update);
    return undefined;
  } catch {
    return 'malformed Yjs update';
  }
}

function peerOf(clientId: number, state: { [key: string]: unknown }): NotePeer {
  const user = state['user'];
  const peer: { clientId: number; name?: string; color?: string; hasCursor: boolean } = {
    clientId,
    hasCursor: state['cursor'] !== undefined && state['cursor'] !== null,
  };
  if (typeof user === 'object' && user !== null) {
    const { name, color } = user as { name?: unknown; color?: unknown };
    if (typeof name === 'string') peer.name = name.slice(0, 100);
    if (typeof color === 'string') peer.color = color.slice(0, 32);
  }
  return peer;
}
