// The contract between the replicated objects and a group communication channel. The qsm
// channel object adapts the engine to it; tests use an in-memory network. Keeping objects
// on this small interface keeps them independent of the engine (ARCHITECTURE.md layering).

/** A member of a group channel (for qsm channels: the engine's NodeId). */
export type MemberId = string;

export interface GroupChannel {
  /** This member's id. */
  readonly self: MemberId;
  /** The current membership view, sorted; includes self once joined. */
  readonly members: readonly MemberId[];
  /**
   * Multicasts to every member of the current view, self included (delivered to self exactly
   * once, locally). Reliable and FIFO per sender; no order across senders. Resolves when the
   * channel accepted the message (back-pressure), not when it was delivered.
   */
  send(data: Uint8Array): Promise<void>;
  /** Registers a delivery handler; returns an unsubscribe function. */
  onMessage(listener: (sender: MemberId, data: Uint8Array) => void): () => void;
  /** Called with each new view (sorted members); returns an unsubscribe function. */
  onView(listener: (members: readonly MemberId[]) => void): () => void;
  /** Leaves the group. */
  close(): Promise<void>;
}

/** A channel with a group name (what sealed channels bind into every message). */
export interface NamedGroupChannel extends GroupChannel {
  readonly group: string;
}
