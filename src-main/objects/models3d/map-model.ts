// liveobjects.map: a replicated live map of an area with shared annotations. The area is an
// LWW register; annotations are an LWW set with tombstones (an annotation is immutable once
// added: editing is remove + add, so concurrent edits never merge into a hybrid).
import { DEFAULT_AREA, projectLonLat } from '../../../src-shared/spatial/geodata';
import type { GeoArea } from '../../../src-shared/spatial/geodata';
import { isValidItemId } from '../models/doc-codec';
import { MessageKind } from '../models/kinds';
import { ModelError } from '../models/model';
import type { Send } from '../models/model';
import type { DocSchema } from '../models/doc-codec';
import { Invalid } from '../models/doc-codec';
import { DocModel } from '../models/doc-model';
import { area, finiteIn, text } from './fields';

export const MAP_TYPE = 'liveobjects.map';

export const MAP_LIMITS = {
  maxAnnotations: 500,
  maxTextLength: 1000,
  maxAuthorLength: 64,
  maxUpdateBytes: 1024 * 1024,
} as const;

export interface MapAnnotationContent {
  readonly lon: number;
  readonly lat: number;
  readonly text: string;
  readonly author: string;
}

interface MapRoot {
  area: GeoArea;
}
interface MapItem {
  content: MapAnnotationContent;
}

export interface MapAnnotation extends MapAnnotationContent {
  readonly id: string;
  /** Scene coordinates of (lon, lat) in the current area (geodata.ts projection), metres. */
  readonly x: number;
  readonly z: number;
}

export interface MapView {
  readonly area: GeoArea;
  /** Sorted by id. */
  readonly annotations: readonly MapAnnotation[];
}

export interface AnnotationRequest {
  readonly lon: number;
  readonly lat: number;
  readonly text: string;
  /** The author's display name; defaults to this member's id. */
  readonly author?: string;
  readonly id?: string;
}

const L = MAP_LIMITS;
const readLon = finiteIn('The longitude', -180, 180);
const readLat = finiteIn('The latitude', -90, 90);
const readText = text('The annotation text', L.maxTextLength, 1);
const readAuthor = text('The author', L.maxAuthorLength);

const schema: DocSchema<MapRoot, MapItem> = {
  name: 'map',
  root: { area: area('The area') },
  item: {
    content: (raw) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        throw new Invalid('The annotation must be an object.');
      const o = raw as Record<string, unknown>;
      return {
        lon: readLon(o['lon']),
        lat: readLat(o['lat']),
        text: readText(o['text']),
        author: readAuthor(o['author']),
      };
    },
  },
};

export class MapModel extends DocModel<MapRoot, MapItem, MapView> {
  readonly #newId: () => string;

  constructor(options: { readonly self: string; readonly send: Send; readonly newId?: () => string }) {
    super(options, {
      type: MAP_TYPE,
      schema,
      updateKind: MessageKind.MapUpdate,
      stateKind: MessageKind.MapState,
      maxRecords: L.maxAnnotations * 4,
      maxUpdateBytes: L.maxUpdateBytes,
    });
    this.#newId = options.newId ?? (() => globalThis.crypto.randomUUID());
  }

  setArea(value: GeoArea): void {
    this.writeRoot('area', this.readRoot('area', value));
  }

  /** Adds an annotation; returns its id. */
  addAnnotation(request: AnnotationRequest): string {
    if (typeof request !== 'object' || request === null)
      throw new ModelError('invalid-argument', 'Nothing to add.');
    const content = this.readItem('content', {
      lon: request.lon,
      lat: request.lat,
      text: request.text,
      author: request.author ?? this.self.slice(0, L.maxAuthorLength),
    });
    const id = request.id ?? this.#newId();
    if (!isValidItemId(id))
      throw new ModelError('invalid-argument', `Invalid annotation id "${String(id)}".`);
    if (this.state.isRemoved(id) || this.state.record(id)?.content) {
      throw new ModelError('invalid-argument', `The id "${id}" is already in use on this map.`);
    }
    let count = 0;
    for (const _ of this.state.having('content')) count += 1;
    if (count >= L.maxAnnotations) {
      throw new ModelError(
        'too-many-items',
        `This map is full: it holds at most ${L.maxAnnotations} annotations.`,
      );
    }
    this.commit({ items: [{ id, fields: { content: { stamp: this.stamp(), value: content } } }] });
    return id;
  }

  removeAnnotation(id: string): void {
    if (!this.state.record(id)?.content)
      throw new ModelError('unknown-item', `There is no annotation "${id}" on this map.`);
    this.commit({ removed: [{ id, stamp: this.stamp() }] });
  }

  protected computeView(): MapView {
    const current = this.state.root.area?.value ?? DEFAULT_AREA;
    const annotations: MapAnnotation[] = [];
    for (const [id, r] of this.state.having('content')) {
      const c = r.content.value;
      const [x, z] = projectLonLat(current, c.lon, c.lat);
      annotations.push({ id, lon: c.lon, lat: c.lat, text: c.text, author: c.author, x, z });
    }
    annotations.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      area: { name: current.name, bounds: [...current.bounds] as unknown as GeoArea['bounds'] },
      annotations,
    };
  }
}
