// liveobjects.space3d: a shared 3D scene of placed live objects. Each placed object is four
// LWW registers — content (reference, kind, title), position, rotation, scale — and a removal
// is a tombstone (lww-doc.ts). Which references may be placed (only objects with a 3D UI) is
// the host's type check; the model bounds sizes. The camera is each user's local state.
import type { Quat, Vec3 } from '../../../src-shared/spatial/vec';
import { normalizeQ } from '../../../src-shared/spatial/vec';
import type { PlacedObject } from '../../../src-shared/spatial/placement';
import { isValidItemId } from '../models/doc-codec';
import { MessageKind } from '../models/kinds';
import { ModelError } from '../models/model';
import type { Send } from '../models/model';
import type { DocSchema } from '../models/doc-codec';
import { Invalid } from '../models/doc-codec';
import { DocModel } from '../models/doc-model';
import { quat, reference, text, vec3 } from './fields';
import type { Field, Registers } from '../models/lww-doc';

export const SPACE3D_TYPE = 'liveobjects.space3d';

export const SPACE3D_LIMITS = {
  maxObjects: 1000,
  maxReferenceBytes: 64 * 1024,
  maxTitleLength: 256,
  maxKindLength: 128,
  /** |x|, |y|, |z| are clamped to this (scene units; metres in geographic scenes). */
  maxCoordinate: 1e7,
  minScale: 1e-3,
  maxScale: 1e6,
  maxUpdateBytes: 1024 * 1024,
} as const;

export interface Space3DContent {
  readonly reference: string;
  /** A hint for placeholders before the reference resolves, e.g. 'liveobjects.airplane'. */
  readonly kind?: string;
  readonly title?: string;
}

interface Space3DFields {
  content: Space3DContent;
  position: Vec3;
  rotation: Quat;
  scale: Vec3;
}

/** One placed object as the renderer sees it. */
export type Space3DObject = PlacedObject;

export interface Space3DView {
  /** Sorted by id. */
  readonly objects: readonly Space3DObject[];
}

export interface Place3DRequest {
  readonly reference: string;
  readonly kind?: string;
  readonly title?: string;
  readonly position?: Vec3;
  readonly rotation?: Quat;
  readonly scale?: Vec3;
  /** A fresh id; generated when omitted. Ids of removed objects are never reused. */
  readonly id?: string;
}

export interface Space3DModelOptions {
  readonly self: string;
  readonly send: Send;
  readonly newId?: () => string;
}

const L = SPACE3D_LIMITS;
const readReference = reference('The reference', L.maxReferenceBytes);
const readKind = text('The kind', L.maxKindLength, 1);
const readTitle = text('The title', L.maxTitleLength);

const schema: DocSchema<Record<never, never>, Space3DFields> = {
  name: 'space3d',
  root: {},
  item: {
    content: (raw) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        throw new Invalid('The content must be an object.');
      const o = raw as Record<string, unknown>;
      const content: { reference: string; kind?: string; title?: string } = {
        reference: readReference(o['reference']),
      };
      if (o['kind'] !== undefined) content.kind = readKind(o['kind']);
      if (o['title'] !== undefined) content.title = readTitle(o['title']);
      return content;
    },
    position: vec3('The position', -L.maxCoordinate, L.maxCoordinate),
    rotation: quat('The rotation'),
    scale: vec3('The scale', L.minScale, L.maxScale),
  },
};

export class Space3DModel extends DocModel<Record<never, never>, Space3DFields, Space3DView> {
  readonly #newId: () => string;

  constructor(options: Space3DModelOptions) {
    super(options, {
      type: SPACE3D_TYPE,
      schema,
      updateKind: MessageKind.Space3DUpdate,
      stateKind: MessageKind.Space3DState,
      maxRecords: L.maxObjects * 4,
      maxUpdateBytes: L.maxUpdateBytes,
    });
    this.#newId = options.newId ?? (() => globalThis.crypto.randomUUID());
  }

  /** Places an object; returns its id. */
  place(request: Place3DRequest): string {
    if (typeof request !== 'object' || request === null)
      throw new ModelError('invalid-argument', 'Nothing to place.');
    const content = this.readItem('content', {
      reference: request.reference,
      ...(request.kind === undefined ? {} : { kind: request.kind }),
      ...(request.title === undefined ? {} : { title: request.title }),
    });
    const position = this.readItem('position', request.position ?? [0, 0, 0]);
    const rotation = this.readItem('rotation', request.rotation ?? [0, 0, 0, 1]);
    const scale = this.readItem('scale', request.scale ?? [1, 1, 1]);
    const id = request.id ?? this.#newId();
    if (!isValidItemId(id)) throw new ModelError('invalid-argument', `Invalid object id "${String(id)}".`);
    if (this.state.isRemoved(id) || this.state.record(id)?.content) {
      throw new ModelError('invalid-argument', `The id "${id}" is already in use in this space.`);
    }
    if (this.#count() >= L.maxObjects) {
      throw new ModelError('too-many-items', `This space is full: it holds at most ${L.maxObjects} objects.`);
    }
    const stamp = this.stamp();
    const fields: Registers<Space3DFields> = {
      content: { stamp, value: content },
      position: { stamp, value: position },
      rotation: { stamp, value: rotation },
      scale: { stamp, value: scale },
    };
    this.commit({ items: [{ id, fields }] });
    return id;
  }

  move(id: string, position: Vec3): void {
    this.#write(id, 'position', this.readItem('position', position));
  }

  rotate(id: string, rotation: Quat): void {
    this.#write(id, 'rotation', this.readItem('rotation', rotation));
  }

  scale(id: string, scale: Vec3): void {
    this.#write(id, 'scale', this.readItem('scale', scale));
  }

  remove(id: string): void {
    this.#requirePlaced(id);
    this.commit({ removed: [{ id, stamp: this.stamp() }] });
  }

  object(id: string): Space3DObject | undefined {
    return this.view().objects.find((o) => o.id === id);
  }

  protected computeView(): Space3DView {
    const objects: Space3DObject[] = [];
    for (const [id, r] of this.state.having('content')) {
      const { reference, kind, title } = r.content.value;
      objects.push({
        id,
        reference,
        ...(kind === undefined ? {} : { kind }),
        ...(title === undefined ? {} : { title }),
        position: r.position?.value ?? [0, 0, 0],
        rotation: normalizeQ(r.rotation?.value ?? [0, 0, 0, 1]),
        scale: r.scale?.value ?? [1, 1, 1],
      });
    }
    objects.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { objects };
  }

  #write<K extends 'position' | 'rotation' | 'scale'>(id: string, key: K, value: Space3DFields[K]): void {
    this.#requirePlaced(id);
    const field: Field<Space3DFields[K]> = { stamp: this.stamp(), value };
    this.commit({ items: [{ id, fields: { [key]: field } as Registers<Space3DFields> }] });
  }

  #requirePlaced(id: string): void {
    if (!this.state.record(id)?.content)
      throw new ModelError('unknown-item', `There is no object "${id}" in this space.`);
  }

  #count(): number {
    let n = 0;
    for (const _ of this.state.having('content')) n += 1;
    return n;
  }
}
