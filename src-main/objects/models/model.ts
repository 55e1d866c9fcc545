// The contract shared by the replicated UI models (desktop, note, image). A model is the host
// side of a live object: pure state + logic, driven by a checkpointed channel through
// CheckpointedClient and emitting its own updates through `send`. It knows nothing of the
// engine, the bridge or the renderer (ARCHITECTURE.md, "Replicated state = checkpoint + updates").

/** What the checkpointed channel calls on its client. None of these may throw on bad input. */
export interface CheckpointedClient {
  /** Applies an update from `sender` (our own updates are delivered back once, too). */
  receive(sender: string, update: Uint8Array): void;
  /**
   * Installs the group's state for a late joiner. Always a merge: state the model already had
   * (restored from disk) is kept, and whatever of it the group lacks is re-sent.
   */
  initialize(checkpoint: Uint8Array): void;
  /** The current state, as `initialize` expects it. */
  checkpoint(): Uint8Array;
}

/** Multicasts one update to the group (the channel delivers it back to us once). */
export type Send = (update: Uint8Array) => void;

export interface ModelStats {
  /** Updates received (including our own echoes and dropped ones). */
  received: number;
  /** Malformed or out-of-bounds updates and checkpoints that were dropped. */
  dropped: number;
  /** Why the last one was dropped, for diagnostics. */
  lastDropReason?: string;
}

/** The contract every replicated UI model implements. `V` is a plain JSON-able view state. */
export interface ReplicatedModel<V> extends CheckpointedClient {
  /** The live object type this model implements, e.g. 'liveobjects.desktop'. */
  readonly type: string;
  readonly stats: Readonly<ModelStats>;
  /** The current view state (a fresh, immutable snapshot; equal states give equal JSON). */
  view(): V;
  /** Calls `listener` with the new view after every change; returns an unsubscribe function. */
  subscribe(listener: (view: V) => void): () => void;
  /** Local durable state, for the node's persistence (not necessarily equal to checkpoint()). */
  persist(): Uint8Array;
  /**
   * Merges persisted state into the model. Call it before joining; then `initialize` re-sends
   * what the group lacks. If called after joining, the part that changed the model is sent.
   * Throws ModelError on bytes that are not a valid persisted state of this type.
   */
  restore(bytes: Uint8Array): void;
  /** Stops timers and listeners; the model must not be used afterwards. */
  dispose(): void;
}

export type ModelErrorCode =
  | 'invalid-argument'
  | 'unknown-item'
  | 'too-many-items'
  | 'too-large'
  | 'unsupported-format'
  | 'invalid-state';

/** A user intent or a restore was refused; `message` is meant for the user. */
export class ModelError extends Error {
  readonly code: ModelErrorCode;

  constructor(code: ModelErrorCode, message: string) {
    super(message);
    this.name = 'ModelError';
    this.code = code;
  }
}
