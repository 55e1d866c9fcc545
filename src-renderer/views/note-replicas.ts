// One NoteReplica per open note handle, created on first need: the host may send a note's
// initial sync before its view has mounted, and those updates must not be lost.
import type { ObjectHandle } from '../../src-shared/bridge/protocol';
import { NoteReplica } from './note-replica';
import type { NoteIntent } from './note-replica';

export type SendIntent = (handle: ObjectHandle, intent: NoteIntent) => void;

export class NoteReplicas {
  readonly #replicas = new Map<ObjectHandle, NoteReplica>();
  /** Events can trail a close; they must not resurrect the replica. */
  readonly #closed = new Set<ObjectHandle>();
  #send: SendIntent = () => {};

  /** Where replicas send their intents (set once the bridge exists). */
  connect(send: SendIntent): void {
    this.#send = send;
  }

  get(handle: ObjectHandle): NoteReplica {
    let replica = this.#replicas.get(handle);
    if (!replica) {
      replica = new NoteReplica((intent) => this.#send(handle, intent));
      this.#replicas.set(handle, replica);
    }
    return replica;
  }

  /** The replica a host event is for; undefined once the handle was closed. */
  forEvent(handle: ObjectHandle): NoteReplica | undefined {
    return this.#closed.has(handle) ? undefined : this.get(handle);
  }

  has(handle: ObjectHandle): boolean {
    return this.#replicas.has(handle);
  }

  dispose(handle: ObjectHandle, farewell = true): void {
    this.#replicas.get(handle)?.dispose(farewell);
    this.#replicas.delete(handle);
    this.#closed.add(handle);
  }

  /** After a reconnect every handle is dead; their replicas are dropped without a goodbye. */
  clear(): void {
    for (const handle of [...this.#replicas.keys()]) this.dispose(handle, false);
  }
}

export const noteReplicas = new NoteReplicas();
