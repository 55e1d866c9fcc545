// liveobjects.desktop: a shared 2D desktop of placed live objects. Intents apply locally at
// once (the echo from the channel is then a no-op, since LWW merge is idempotent) and are
// multicast as small deltas; see desktop-state.ts for the convergence rules.
import { DesktopState, isEmptyDelta, stampsOf } from './desktop-state';
import type { DesktopDelta, ItemRecord } from './desktop-state';
import {
  DESKTOP_LIMITS,
  clampCoordinate,
  clampSize,
  clampZ,
  decodeDelta,
  encodeDelta,
  isValidItemId,
  utf8Length,
} from './desktop-codec';
import { MessageKind, frame, unframe } from './kinds';
import { LamportClock } from './lamport';
import type { Stamp } from './lamport';
import { ModelError } from './model';
import type { ReplicatedModel, Send } from './model';
import { ModelBase } from './model-base';

export const DESKTOP_TYPE = 'liveobjects.desktop';

/** One placed item as the renderer sees it. */
export interface DesktopItem {
  readonly id: string;
  /** The item's .liveobject XML. */
  readonly reference: string;
  readonly title?: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly z: number;
}

export interface DesktopView {
  /** Back to front: ascending z, ties by id. */
  readonly items: readonly DesktopItem[];
}

export interface PlaceRequest {
  readonly reference: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly title?: string;
  /** A fresh id; generated when omitted. Ids of removed items are never reused. */
  readonly id?: string;
}

export interface DesktopModelOptions {
  /** This member's id in the group: the tie-breaker of our Lamport stamps. */
  readonly self: string;
  readonly send: Send;
  /** Every member must use the same limits, or replicas may disagree on what they accept. */
  readonly maxItems?: number;
  readonly maxReferenceBytes?: number;
  readonly newId?: () => string;
}

const DEFAULT_WIDTH = 320;
const DEFAULT_HEIGHT = 240;
/** Re-sent state is split into messages of about this size. */
const BATCH_BYTES = 256 * 1024;

export class DesktopModel extends ModelBase<DesktopView> implements ReplicatedModel<DesktopView> {
  readonly type = DESKTOP_TYPE;
  readonly #self: string;
  readonly #clock = new LamportClock();
  readonly #maxItems: number;
  readonly #maxReferenceBytes: number;
  readonly #newId: () => string;
  readonly #state: DesktopState;

  constructor(options: DesktopModelOptions) {
    super(options.send);
    this.#self = options.self;
    this.#maxItems = options.maxItems ?? DESKTOP_LIMITS.maxItems;
    this.#maxReferenceBytes = options.maxReferenceBytes ?? DESKTOP_LIMITS.maxReferenceBytes;
    this.#newId = options.newId ?? (() => globalThis.crypto.randomUUID());
    // Room for writes that arrive before their place, and for concurrent places past the cap.
    this.#state = new DesktopState(this.#maxItems * 4);
  }

  // ---- user intents ----------------------------------------------------------------------

  /** Places a new item on top; returns its id. */
  place(request: PlaceRequest): string {
    const { reference, title } = request;
    if (typeof reference !== 'string')
      throw new ModelError('invalid-argument', 'The reference must be a string.');
    if (utf8Length(reference) > this.#maxReferenceBytes) {
      throw new ModelError(
        'too-large',
        `The reference is too large for a desktop item (limit ${this.#maxReferenceBytes} bytes).`,
      );
    }
    if (title !== undefined && (typeof title !== 'string' || title.length > DESKTOP_LIMITS.maxTitleLength)) {
      throw new ModelError(
        'invalid-argument',
        `The title must be a string of at most ${DESKTOP_LIMITS.maxTitleLength} characters.`,
      );
    }
    const x = finite(request.x, 'x');
    const y = finite(request.y, 'y');
    const width = finite(request.width, 'width');
    const height = finite(request.height, 'height');
    const id = request.id ?? this.#newId();
    if (!isValidItemId(id)) throw new ModelError('invalid-argument', `Invalid item id "${String(id)}".`);
    if (this.#state.isRemoved(id) || this.#state.record(id)?.content) {
      throw new ModelError('invalid-argument', `The id "${id}" is already in use on this desktop.`);
    }
    if (this.#countPlaced() >= this.#maxItems) {
      throw new ModelError(
        'too-many-items',
        `This desktop is full: it holds at most ${this.#maxItems} items.`,
      );
    }
    const stamp = this.#stamp();
    this.#commit({
      items: [
        {
          id,
          content: title === undefined ? { stamp, reference } : { stamp, reference, title },
          position: { stamp, x: clampCoordinate(x), y: clampCoordinate(y) },
          size: { stamp, width: clampSize(width), height: clampSize(height) },
          layer: { stamp, z: clampZ(this.#topZ(undefined) + 1) },
        },
      ],
      removed: [],
    });
    return id;
  }

  move(id: string, x: number, y: number): void {
    this.#requirePlaced(id);
    const position = {
      stamp: this.#stamp(),
      x: clampCoordinate(finite(x, 'x')),
      y: clampCoordinate(finite(y, 'y')),
    };
    this.#commit({ items: [{ id, position }], removed: [] });
  }

  resize(id: string, width: number, height: number): void {
    this.#requirePlaced(id);
    const size = {
      stamp: this.#stamp(),
      width: clampSize(finite(width, 'width')),
      height: clampSize(finite(height, 'height')),
    };
    this.#commit({ items: [{ id, size }], removed: [] });
  }

  /** Brings the item to the front (no-op when it already is the only top item). */
  raise(id: string): void {
    const record = this.#requirePlaced(id);
    const top = this.#topZ(id);
    const z = record.layer?.z ?? 0;
    if (z > top) return;
    this.#commit({ items: [{ id, layer: { stamp: this.#stamp(), z: clampZ(top + 1) } }], removed: [] });
  }

  remove(id: string): void {
    this.#requirePlaced(id);
    this.#commit({ items: [], removed: [{ id, stamp: this.#stamp() }] });
  }

  item(id: string): DesktopItem | undefined {
    return this.view().items.find((i) => i.id === id);
  }

  // ---- checkpointed client -------------------------------------------------------------------

  receive(_sender: string, update: Uint8Array): void {
    this.countReceived();
    const framed = unframe(update);
    if (!framed.ok) return this.drop(`desktop: ${framed.reason}`);
    if (framed.kind !== MessageKind.DesktopUpdate)
      return this.drop(`desktop: unexpected message kind ${framed.kind}`);
    if (framed.payload.length > DESKTOP_LIMITS.maxUpdateBytes) return this.drop('desktop: update too large');
    const decoded = decodeDelta(framed.payload, this.#maxReferenceBytes);
    if (!decoded.ok) return this.drop(decoded.reason);
    this.#apply(decoded.value);
  }

  initialize(checkpoint: Uint8Array): void {
    this.markJoined();
    const decoded = this.#decodeState(checkpoint);
    if (!decoded.ok) return this.drop(decoded.reason);
    const group = new DesktopState(Number.MAX_SAFE_INTEGER);
    group.merge(decoded.value);
    const missing = this.#state.diff(group);
    this.#apply(decoded.value);
    this.#sendBatched(missing);
  }

  checkpoint(): Uint8Array {
    return frame(MessageKind.DesktopState, encodeDelta(this.#state.toDelta()));
  }

  // ---- persistence ---------------------------------------------------------------------------

  persist(): Uint8Array {
    return this.checkpoint();
  }

  restore(bytes: Uint8Array): void {
    const decoded = this.#decodeState(bytes);
    if (!decoded.ok) throw new ModelError('invalid-state', `Cannot restore the desktop: ${decoded.reason}.`);
    const applied = this.#apply(decoded.value);
    if (this.joined) this.#sendBatched(applied);
  }

  // ---- internals -----------------------------------------------------------------------------

  protected computeView(): DesktopView {
    const items: DesktopItem[] = [];
    for (const r of this.#state.placed()) {
      const item: DesktopItem = {
        id: r.id,
        reference: r.content.reference,
        ...(r.content.title === undefined ? {} : { title: r.content.title }),
        x: r.position?.x ?? 0,
        y: r.position?.y ?? 0,
        width: r.size?.width ?? DEFAULT_WIDTH,
        height: r.size?.height ?? DEFAULT_HEIGHT,
        z: r.layer?.z ?? 0,
      };
      items.push(item);
    }
    items.sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { items };
  }

  #decodeState(bytes: Uint8Array): ReturnType<typeof decodeDelta> {
    const framed = unframe(bytes);
    if (!framed.ok) return { ok: false, reason: `desktop state: ${framed.reason}` };
    if (framed.kind !== MessageKind.DesktopState) {
      return { ok: false, reason: `desktop state: unexpected kind ${framed.kind}` };
    }
    return decodeDelta(framed.payload, this.#maxReferenceBytes);
  }

  /** Merges a delta, advances the clock, notifies; returns what changed. */
  #apply(delta: DesktopDelta): DesktopDelta {
    for (const stamp of stampsOf(delta)) this.#clock.observe(stamp.t);
    const { applied, refused } = this.#state.merge(delta);
    if (refused > 0) this.drop(`desktop: ${refused} item(s) refused, record limit reached`);
    if (!isEmptyDelta(applied)) this.changed();
    return applied;
  }

  #commit(delta: DesktopDelta): void {
    this.#apply(delta);
    this.send(frame(MessageKind.DesktopUpdate, encodeDelta(delta)));
  }

  #sendBatched(delta: DesktopDelta): void {
    let items: ItemRecord[] = [];
    let bytes = 0;
    const flush = (removed: DesktopDelta['removed']): void => {
      if (items.length === 0 && removed.length === 0) return;
      this.send(frame(MessageKind.DesktopUpdate, encodeDelta({ items, removed })));
      items = [];
      bytes = 0;
    };
    for (let i = 0; i < delta.removed.length; i += 2000) flush(delta.removed.slice(i, i + 2000));
    for (const item of delta.items) {
      const size = 400 + (item.content ? item.content.reference.length * 3 : 0);
      if (bytes + size > BATCH_BYTES) flush([]);
      items.push(item);
      bytes += size;
    }
    flush([]);
  }

  #stamp(): Stamp {
    return { t: this.#clock.tick(), s: this.#self };
  }

  #requirePlaced(id: string): ItemRecord {
    const record = this.#state.record(id);
    if (!record?.content) throw new ModelError('unknown-item', `There is no item "${id}" on this desktop.`);
    return record;
  }

  #countPlaced(): number {
    let n = 0;
    for (const _ of this.#state.placed()) n += 1;
    return n;
  }

  /** The highest z among placed items other than `except`. */
  #topZ(except: string | undefined): number {
    let top = 0;
    let any = false;
    for (const r of this.#state.placed()) {
      if (r.id === except) continue;
      const z = r.layer?.z ?? 0;
      if (!any || z > top) top = z;
      any = true;
    }
    return top;
  }
}

function finite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ModelError('invalid-argument', `${name} must be a finite number.`);
  }
  return value;
}
