// The plumbing every LWW document model shares (the desktop and the 3D models): apply intents
// locally at once and multicast them as small deltas; merge received deltas; on a late join,
// merge the checkpoint and re-send what the group lacks; persist = checkpoint. Concrete models
// add intents and a view (contract: docs/objects.md).
import { utf8Length } from '../../../src-shared/format/parse';
import { frame, unframe } from './kinds';
import type { MessageKind } from './kinds';
import { LamportClock } from './lamport';
import type { Stamp } from './lamport';
import { ModelError } from './model';
import type { ReplicatedModel, Send } from './model';
import { ModelBase } from './model-base';
import { Invalid, decodeDoc, encodeDoc, toWire } from './doc-codec';
import type { Decoded, DocSchema, Reader } from './doc-codec';
import { DocState, isEmptyDelta, stampsOf } from './lww-doc';
import type { DocDelta, Field, ItemWrite, Registers, Tombstone } from './lww-doc';

export interface DocModelOptions {
  /** This member's id in the group: the tie-breaker of our Lamport stamps. */
  readonly self: string;
  readonly send: Send;
}

export interface DocModelConfig<R, I> {
  readonly type: string;
  readonly schema: DocSchema<R, I>;
  readonly updateKind: MessageKind;
  readonly stateKind: MessageKind;
  /** Records (placed, partial or concurrent past the cap) kept before refusing more. */
  readonly maxRecords: number;
  /** Updates larger than this are dropped (states and checkpoints are not limited). */
  readonly maxUpdateBytes: number;
}

/** Re-sent state is split into messages of about this size. */
const BATCH_BYTES = 256 * 1024;

export abstract class DocModel<R, I, V> extends ModelBase<V> implements ReplicatedModel<V> {
  readonly type: string;
  protected readonly self: string;
  protected readonly state: DocState<R, I>;
  readonly #clock = new LamportClock();
  readonly #config: DocModelConfig<R, I>;

  protected constructor(options: DocModelOptions, config: DocModelConfig<R, I>) {
    super(options.send);
    this.type = config.type;
    this.self = options.self;
    this.#config = config;
    this.state = this.#newState(config.maxRecords);
  }

  // ---- checkpointed client -------------------------------------------------------------------

  receive(_sender: string, update: Uint8Array): void {
    this.countReceived();
    const name = this.#config.schema.name;
    const framed = unframe(update);
    if (!framed.ok) return this.drop(`${name}: ${framed.reason}`);
    if (framed.kind !== this.#config.updateKind)
      return this.drop(`${name}: unexpected message kind ${framed.kind}`);
    if (framed.payload.length > this.#config.maxUpdateBytes) return this.drop(`${name}: update too large`);
    const decoded = decodeDoc(this.#config.schema, framed.payload);
    if (!decoded.ok) return this.drop(decoded.reason);
    this.#apply(decoded.value);
  }

  initialize(checkpoint: Uint8Array): void {
    this.markJoined();
    const decoded = this.#decodeState(checkpoint);
    if (!decoded.ok) return this.drop(decoded.reason);
    const group = this.#newState(Number.MAX_SAFE_INTEGER);
    group.merge(decoded.value);
    const missing = this.state.diff(group);
    this.#apply(decoded.value);
    this.#sendBatched(missing);
  }

  checkpoint(): Uint8Array {
    return frame(this.#config.stateKind, this.#encode(this.state.toDelta()));
  }

  persist(): Uint8Array {
    return this.checkpoint();
  }

  restore(bytes: Uint8Array): void {
    const decoded = this.#decodeState(bytes);
    if (!decoded.ok) {
      throw new ModelError(
        'invalid-state',
        `Cannot restore the ${this.#config.schema.name}: ${decoded.reason}.`,
      );
    }
    const applied = this.#apply(decoded.value);
    if (this.joined) this.#sendBatched(applied);
  }

  // ---- for intents -----------------------------------------------------------------------------

  protected stamp(): Stamp {
    return { t: this.#clock.tick(), s: this.self };
  }

  /** Runs a field reader on an intent's argument, turning Invalid into ModelError. */
  protected read<T>(reader: Reader<T>, raw: unknown): T {
    try {
      return reader(raw);
    } catch (error) {
      if (error instanceof Invalid) throw new ModelError(error.code, error.message);
      throw error;
    }
  }

  protected readRoot<K extends keyof R>(key: K, raw: unknown): R[K] {
    return this.read(this.#config.schema.root[key], raw);
  }

  protected readItem<K extends keyof I>(key: K, raw: unknown): I[K] {
    return this.read(this.#config.schema.item[key], raw);
  }

  /** Applies a local write and multicasts it. */
  protected commit(delta: {
    readonly root?: Registers<R>;
    readonly items?: readonly ItemWrite<I>[];
    readonly removed?: readonly Tombstone[];
  }): void {
    const full: DocDelta<R, I> = {
      root: delta.root ?? {},
      items: delta.items ?? [],
      removed: delta.removed ?? [],
    };
    this.#apply(full);
    this.send(frame(this.#config.updateKind, this.#encode(full)));
  }

  /** Writes one root register now. */
  protected writeRoot<K extends keyof R>(key: K, value: R[K]): void {
    const field: Field<R[K]> = { stamp: this.stamp(), value };
    this.commit({ root: { [key]: field } as unknown as Registers<R> });
  }

  // ---- internals -----------------------------------------------------------------------------

  #encode(delta: DocDelta<R, I>): Uint8Array {
    return encodeDoc(delta, this.#config.schema.flat ?? false);
  }

  #newState(maxRecords: number): DocState<R, I> {
    const { schema } = this.#config;
    return new DocState<R, I>(
      Object.keys(schema.root) as (keyof R)[],
      Object.keys(schema.item) as (keyof I)[],
      maxRecords,
    );
  }

  #decodeState(bytes: Uint8Array): Decoded<DocDelta<R, I>> {
    const name = this.#config.schema.name;
    const framed = unframe(bytes);
    if (!framed.ok) return { ok: false, reason: `${name} state: ${framed.reason}` };
    if (framed.kind !== this.#config.stateKind)
      return { ok: false, reason: `${name} state: unexpected kind ${framed.kind}` };
    return decodeDoc(this.#config.schema, framed.payload);
  }

  /** Merges a delta, advances the clock, notifies; returns what changed. */
  #apply(delta: DocDelta<R, I>): DocDelta<R, I> {
    for (const stamp of stampsOf(delta)) this.#clock.observe(stamp.t);
    const { applied, refused } = this.state.merge(delta);
    if (refused > 0)
      this.drop(`${this.#config.schema.name}: ${refused} record(s) refused, record limit reached`);
    if (!isEmptyDelta(applied)) this.changed();
    return applied;
  }

  #sendBatched(delta: DocDelta<R, I>): void {
    if (isEmptyDelta(delta)) return;
    const { updateKind } = this.#config;
    const flat = this.#config.schema.flat ?? false;
    let root: Registers<R> = delta.root;
    let items: ItemWrite<I>[] = [];
    let removed: readonly Tombstone[] = [];
    let bytes = 0;
    const flush = (): void => {
      const part: DocDelta<R, I> = { root, items, removed };
      if (!isEmptyDelta(part)) this.send(frame(updateKind, this.#encode(part)));
      root = {};
      items = [];
      removed = [];
      bytes = 0;
    };
    for (let i = 0; i < delta.removed.length; i += 2000) {
      removed = delta.removed.slice(i, i + 2000);
      flush();
    }
    for (const item of delta.items) {
      const size = utf8Length(JSON.stringify(toWire({ root: {}, items: [item], removed: [] }, flat)));
      if (bytes + size > BATCH_BYTES) flush();
      items.push(item);
      bytes += size;
    }
    flush();
  }
}
