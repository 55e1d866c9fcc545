// Plumbing shared by the models: stats, drop accounting, a cached view with change
// notification, and the "joined" flag that decides whether a restore must be re-sent.
import { Emitter } from './emitter';
import type { ModelStats, Send } from './model';

export abstract class ModelBase<V> {
  readonly #stats: ModelStats = { received: 0, dropped: 0 };
  readonly #views = new Emitter<V>();
  readonly #send: Send;
  #view: V | undefined;
  #joined = false;
  #disposed = false;

  protected constructor(send: Send) {
    this.#send = send;
  }

  get stats(): Readonly<ModelStats> {
    return { ...this.#stats };
  }

  view(): V {
    this.#view ??= this.computeView();
    return this.#view;
  }

  subscribe(listener: (view: V) => void): () => void {
    return this.#views.subscribe(listener);
  }

  dispose(): void {
    this.#disposed = true;
    this.#views.clear();
  }

  /** Builds a fresh view snapshot; only called when the state changed since the last one. */
  protected abstract computeView(): V;

  protected get disposed(): boolean {
    return this.#disposed;
  }

  /** True once the model has seen the group (initialize or any receive). */
  protected get joined(): boolean {
    return this.#joined;
  }

  protected markJoined(): void {
    this.#joined = true;
  }

  protected countReceived(): void {
    this.#stats.received += 1;
    this.#joined = true;
  }

  protected drop(reason: string): void {
    this.#stats.dropped += 1;
    this.#stats.lastDropReason = reason;
  }

  protected send(update: Uint8Array): void {
    if (!this.#disposed) this.#send(update);
  }

  /** Invalidates the cached view and notifies subscribers (only when someone listens). */
  protected changed(): void {
    this.#view = undefined;
    if (this.#views.size > 0) this.#views.emit(this.view());
  }
}
