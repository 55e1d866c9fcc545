// A tiny listener set. Listener errors are isolated so one broken subscriber cannot stop
// delivery to the others or throw out of `receive`.

export class Emitter<T> {
  readonly #listeners = new Set<(value: T) => void>();

  get size(): number {
    return this.#listeners.size;
  }

  subscribe(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(value);
      } catch (error) {
        console.error('liveobjects: a model listener threw', error);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
