// The object instances one host shares between dereferences. A group's members are nodes, so
// a node runs one instance per (template, group[, parameters]); opening the object again (two
// windows, two references naming the same group) gets a new proxy over that instance. The
// host owns the registry and passes it to its catalogue, so two hosts in one process never
// share an instance, and each host's close() waits only for its own instances to end.

/** Given to a new instance: how it tells the registry that it ended. */
export interface InstanceRegistration {
  /**
   * Unregisters the instance (the next dereference creates a new one); `done` is what is left
   * of its ending, e.g. the final save, which `settled()` awaits.
   */
  ended(done?: Promise<void>): void;
}

export class ObjectInstances {
  private readonly live = new Map<string, object>();
  private readonly endings = new Set<Promise<void>>();

  /**
   * The instance registered under `key`, else a new one from `create`. Keys start with the
   * template id and every template registers one class, so `T` is what `key` holds.
   */
  obtain<T extends object>(
    key: string,
    create: (registration: InstanceRegistration) => T,
  ): { readonly instance: T; readonly created: boolean } {
    const existing = this.live.get(key);
    if (existing) return { instance: existing as T, created: false };
    const instance = create({
      ended: (done) => {
        if (this.live.get(key) === instance) this.live.delete(key);
        if (done) {
          this.endings.add(done);
          void done.finally(() => this.endings.delete(done));
        }
      },
    });
    this.live.set(key, instance);
    return { instance, created: true };
  }

  /** How many instances are running. */
  get size(): number {
    return this.live.size;
  }

  /** Resolves once every instance that ended has finished ending (written its final state). */
  async settled(): Promise<void> {
    while (this.endings.size > 0) await Promise.allSettled([...this.endings]);
  }
}
