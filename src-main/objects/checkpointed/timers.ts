// Injectable timers: production uses the global ones, tests a virtual clock.

export interface Timers {
  setTimeout(task: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (task, ms) => setTimeout(task, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One named, re-armable timer slot. */
export class TimerSlot {
  private handle: unknown;
  private armed = false;

  constructor(private readonly timers: Timers) {}

  get isArmed(): boolean {
    return this.armed;
  }

  /** (Re)arms the slot, cancelling any previous task. */
  arm(ms: number, task: () => void): void {
    this.cancel();
    this.armed = true;
    this.handle = this.timers.setTimeout(() => {
      this.armed = false;
      task();
    }, ms);
  }

  cancel(): void {
    if (!this.armed) return;
    this.timers.clearTimeout(this.handle);
    this.armed = false;
  }
}
