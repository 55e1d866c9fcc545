// Typed fan-out of bridge events to listeners. Events from the host enter through `receive`,
// the one place the renderer checks them (both transports use it): a malformed event is
// logged and dropped, never handed to a view. A throwing listener must not starve the others.
import type { EventName, Events } from '../../src-shared/bridge/protocol';
import { parseEvent } from '../../src-shared/bridge/validate';

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

  /** An event as it arrived from the host: checked against the bridge's schemas, then emitted. */
  receive(event: unknown, data: unknown): void {
    const checked = parseEvent(event, data);
    if (!checked.ok) {
      console.warn(`liveobjects: ignored an event from the host (${checked.error})`);
      return;
    }
    this.emit(checked.value.event, checked.value.data);
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
