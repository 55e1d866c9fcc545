// liveobjects.desktop: a shared 2D desktop of placed live objects. Intents apply locally at
// once (the echo from the channel is then a no-op, since LWW merge is idempotent) and are
// multicast as small deltas; see lww-doc.ts for the convergence rules and doc-model.ts for
// the plumbing (receive, late join, persistence) it shares with the 3D models.
import { DESKTOP_LIMITS, clampCoordinate, clampSize, clampZ, desktopSchema } from './desktop-codec';
import { utf8Length } from '../../../src-shared/format/parse';
import type { DesktopFields, DesktopRoot } from './desktop-codec';
import { isValidItemId } from './doc-codec';
import { DocModel } from './doc-model';
import type { DocModelOptions } from './doc-model';
import { MessageKind } from './kinds';
import type { Registers } from './lww-doc';
import { ModelError } from './model';

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

export interface DesktopModelOptions extends DocModelOptions {
  /** Every member must use the same limits, or replicas may disagree on what they accept. */
  readonly maxItems?: number;
  readonly maxReferenceBytes?: number;
  readonly newId?: () => string;
}

const DEFAULT_WIDTH = 320;
const DEFAULT_HEIGHT = 240;

export class DesktopModel extends DocModel<DesktopRoot, DesktopFields, DesktopView> {
  readonly #maxItems: number;
  readonly #maxReferenceBytes: number;
  readonly #newId: () => string;

  constructor(options: DesktopModelOptions) {
    const maxItems = options.maxItems ?? DESKTOP_LIMITS.maxItems;
    const maxReferenceBytes = options.maxReferenceBytes ?? DESKTOP_LIMITS.maxReferenceBytes;
    super(options, {
      type: DESKTOP_TYPE,
      schema: desktopSchema(maxReferenceBytes),
      updateKind: MessageKind.DesktopUpdate,
      stateKind: MessageKind.DesktopState,
      // Room for writes that arrive before their place, and for concurrent places past the cap.
      maxRecords: maxItems * 4,
      maxUpdateBytes: DESKTOP_LIMITS.maxUpdateBytes,
    });
    this.#maxItems = maxItems;
    this.#maxReferenceBytes = maxReferenceBytes;
    this.#newId = options.newId ?? (() => globalThis.crypto.randomUUID());
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
    if (this.state.isRemoved(id) || this.state.record(id)?.content) {
      throw new ModelError('invalid-argument', `The id "${id}" is already in use on this desktop.`);
    }
    if (this.#countPlaced() >= this.#maxItems) {
      throw new ModelError(
        'too-many-items',
        `This desktop is full: it holds at most ${this.#maxItems} items.`,
      );
    }
    const stamp = this.stamp();
    this.commit({
      items: [
        {
          id,
          fields: {
            content: { stamp, value: title === undefined ? { reference } : { reference, title } },
            position: { stamp, value: { x: clampCoordinate(x), y: clampCoordinate(y) } },
            size: { stamp, value: { width: clampSize(width), height: clampSize(height) } },
            layer: { stamp, value: { z: clampZ(this.#topZ(undefined) + 1) } },
          },
        },
      ],
    });
    return id;
  }

  move(id: string, x: number, y: number): void {
    this.#requirePlaced(id);
    const position = {
      stamp: this.stamp(),
      value: { x: clampCoordinate(finite(x, 'x')), y: clampCoordinate(finite(y, 'y')) },
    };
    this.commit({ items: [{ id, fields: { position } }] });
  }

  resize(id: string, width: number, height: number): void {
    this.#requirePlaced(id);
    const size = {
      stamp: this.stamp(),
      value: { width: clampSize(finite(width, 'width')), height: clampSize(finite(height, 'height')) },
    };
    this.commit({ items: [{ id, fields: { size } }] });
  }

  /** Brings the item to the front (no-op when it already is the only top item). */
  raise(id: string): void {
    const record = this.#requirePlaced(id);
    const top = this.#topZ(id);
    const z = record.layer?.value.z ?? 0;
    if (z > top) return;
    this.commit({
      items: [{ id, fields: { layer: { stamp: this.stamp(), value: { z: clampZ(top + 1) } } } }],
    });
  }

  remove(id: string): void {
    this.#requirePlaced(id);
    this.commit({ removed: [{ id, stamp: this.stamp() }] });
  }

  item(id: string): DesktopItem | undefined {
    return this.view().items.find((i) => i.id === id);
  }

  // ---- internals -----------------------------------------------------------------------------

  protected computeView(): DesktopView {
    const items: DesktopItem[] = [];
    for (const [id, r] of this.state.having('content')) {
      const { reference, title } = r.content.value;
      const item: DesktopItem = {
        id,
        reference,
        ...(title === undefined ? {} : { title }),
        x: r.position?.value.x ?? 0,
        y: r.position?.value.y ?? 0,
        width: r.size?.value.width ?? DEFAULT_WIDTH,
        height: r.size?.value.height ?? DEFAULT_HEIGHT,
        z: r.layer?.value.z ?? 0,
      };
      items.push(item);
    }
    items.sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { items };
  }

  #requirePlaced(id: string): Readonly<Registers<DesktopFields>> {
    const record = this.state.record(id);
    if (!record?.content) throw new ModelError('unknown-item', `There is no item "${id}" on this desktop.`);
    return record;
  }

  #countPlaced(): number {
    let n = 0;
    for (const _ of this.state.having('content')) n += 1;
    return n;
  }

  /** The highest z among placed items other than `except`. */
  #topZ(except: string | undefined): number {
    let top = 0;
    let any = false;
    for (const [id, r] of this.state.having('content')) {
      if (id === except) continue;
      const z = r.layer?.value.z ?? 0;
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
