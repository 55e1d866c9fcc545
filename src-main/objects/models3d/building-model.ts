// liveobjects.building: a replicated extruded building: a simple-polygon footprint on the
// ground (x, z in the scene's units, metres in geographic scenes), a height and a colour,
// each an LWW register. An unwritten building shows a 20 × 20 × 10 m block.
import { MessageKind } from '../models/kinds';
import type { Send } from '../models/model';
import type { DocSchema } from '../models/doc-codec';
import { DocModel } from '../models/doc-model';
import { color, finiteIn, simplePolygon, text } from './fields';
import type { Point2 } from './fields';

export const BUILDING_TYPE = 'liveobjects.building';

export const BUILDING_LIMITS = {
  minPoints: 3,
  maxPoints: 64,
  /** |x|, |z| of footprint points are clamped to this. */
  maxCoordinate: 1e5,
  /** Footprints smaller than this (m²) are refused. */
  minArea: 0.01,
  minHeight: 0,
  maxHeight: 2000,
  maxNameLength: 128,
  maxUpdateBytes: 64 * 1024,
} as const;

export const BUILDING_DEFAULTS = {
  name: '',
  footprint: [
    [-10, -10],
    [10, -10],
    [10, 10],
    [-10, 10],
  ] as readonly Point2[],
  height: 10,
  color: '#b9b2a6',
} as const;

interface BuildingFields {
  name: string;
  footprint: Point2[];
  height: number;
  color: string;
}

export interface BuildingView {
  readonly name: string;
  /** [x, z] vertices of a simple polygon (either winding; not closed: last ≠ first). */
  readonly footprint: readonly Point2[];
  /** Extrusion height above y = 0. */
  readonly height: number;
  /** '#rrggbb' */
  readonly color: string;
}

const L = BUILDING_LIMITS;
const schema: DocSchema<BuildingFields, Record<never, never>> = {
  name: 'building',
  root: {
    name: text('The name', L.maxNameLength),
    footprint: simplePolygon('The footprint', L),
    height: finiteIn('The height', L.minHeight, L.maxHeight),
    color: color('The colour'),
  },
  item: {},
};

export class BuildingModel extends DocModel<BuildingFields, Record<never, never>, BuildingView> {
  constructor(options: { readonly self: string; readonly send: Send }) {
    super(options, {
      type: BUILDING_TYPE,
      schema,
      updateKind: MessageKind.BuildingUpdate,
      stateKind: MessageKind.BuildingState,
      maxRecords: 0,
      maxUpdateBytes: L.maxUpdateBytes,
    });
  }

  setName(name: string): void {
    this.writeRoot('name', this.readRoot('name', name));
  }

  /** A simple polygon of 3–64 [x, z] points; ModelError 'invalid-argument' otherwise. */
  setFootprint(footprint: readonly (readonly [number, number])[]): void {
    this.writeRoot('footprint', this.readRoot('footprint', footprint));
  }

  setHeight(height: number): void {
    this.writeRoot('height', this.readRoot('height', height));
  }

  setColor(value: string): void {
    this.writeRoot('color', this.readRoot('color', value));
  }

  protected computeView(): BuildingView {
    const r = this.state.root;
    return {
      name: r.name?.value ?? BUILDING_DEFAULTS.name,
      footprint: r.footprint?.value ?? BUILDING_DEFAULTS.footprint,
      height: r.height?.value ?? BUILDING_DEFAULTS.height,
      color: r.color?.value ?? BUILDING_DEFAULTS.color,
    };
  }
}
