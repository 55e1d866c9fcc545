// Fault injection on the receive path (off by default). Used by tests and benchmarks to model
// lossy networks and "sleeping" receivers as in the dissertation's experiments.

export interface FaultOptions {
  /** Probability in [0, 1] of dropping each inbound datagram. */
  readonly loss?: number;
  /** Drop all input for `burstMs` milliseconds every `burstEveryMs` milliseconds. */
  readonly burstEveryMs?: number;
  readonly burstMs?: number;
  /** Only drop first transmissions of data (repairs, tokens and NAKs get through) when true;
   * default false drops everything. */
  readonly dataOnly?: boolean;
  /** Probability in [0, 1] of dropping each datagram that arrives by IP multicast (1: a
   * switch that drops multicast; unicast still arrives). Applies on top of the above. */
  readonly multicastLoss?: number;
}

export class FaultInjector {
  private loss: number;
  private burstEvery: number;
  private burstLen: number;
  private dataOnly: boolean;
  private multicastLoss: number;
  private paused = false;
  private readonly epoch = performance.now();
  dropped = 0;

  constructor(opts: FaultOptions = {}) {
    this.loss = opts.loss ?? 0;
    this.burstEvery = opts.burstEveryMs ?? 0;
    this.burstLen = opts.burstMs ?? 0;
    this.dataOnly = opts.dataOnly ?? false;
    this.multicastLoss = opts.multicastLoss ?? 0;
  }

  get active(): boolean {
    return (
      this.paused || this.loss > 0 || this.multicastLoss > 0 || (this.burstEvery > 0 && this.burstLen > 0)
    );
  }

  configure(opts: FaultOptions): void {
    this.loss = opts.loss ?? this.loss;
    this.burstEvery = opts.burstEveryMs ?? this.burstEvery;
    this.burstLen = opts.burstMs ?? this.burstLen;
    this.dataOnly = opts.dataOnly ?? this.dataOnly;
    this.multicastLoss = opts.multicastLoss ?? this.multicastLoss;
  }

  /** Drops all input until resume(); models a frozen receiver without stopping the process. */
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }

  /** Whether to drop a datagram that arrived by IP multicast, before shouldDrop(). */
  shouldDropMulticast(): boolean {
    const p = this.multicastLoss;
    if (p <= 0 || (p < 1 && Math.random() >= p)) return false;
    this.dropped++;
    return true;
  }

  /** Whether to drop an inbound datagram; `isData`: it is a first transmission of data. */
  shouldDrop(isData: boolean): boolean {
    if (this.dataOnly && !isData) return false;
    let drop = this.paused;
    if (!drop && this.burstEvery > 0 && this.burstLen > 0) {
      drop = (performance.now() - this.epoch) % this.burstEvery < this.burstLen;
    }
    if (!drop && this.loss > 0) drop = Math.random() < this.loss;
    if (drop) this.dropped++;
    return drop;
  }
}
