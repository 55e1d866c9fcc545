// Typed fan-out of bridge events to listeners. A throwing listener must not starve the others.
import type { EventName, Events } from '../../src-shared/bridge/protocol';

type AnyListener = (data: never) => void;

export class EventHub {
  readonly #listeners = new Map<EventName, Set<AnyListener>>();

  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<E extends EventName>(event: E, data: Events[E]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (data: Events[E]) => void)(data);
      } catch (error) {
        console.error(`liveobjects: a listener of "${event}" failed`, error);
      }
    }
  }
}
