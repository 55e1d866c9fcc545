// The view state of every view kind: what the host's UI adapters send as `state` events and
// what the renderer's views draw. One discriminated union keyed by `kind`; the TypeScript
// types are inferred from the schemas, so host and renderer cannot drift apart unnoticed.
import { areaProblem } from '../spatial/geodata';
import { Bytes, Int, NonNegativeInt, Num, Quat, Reference, Vec3 } from './values';
import type { Infer } from './zod';
import { z } from './zod';

export const VIEW_KINDS = [
  'desktop',
  'note',
  'image',
  'space3d',
  'airplane',
  'building',
  'map',
  'coordinates',
  'flights',
] as const;

/** Which view the renderer uses for an object's UI endpoint. */
export const ViewKind = z.enum(VIEW_KINDS);
export type ViewKind = Infer<typeof ViewKind>;

/** '#rrggbb' in lower case, as the 3D models store colours. */
const Color = z.string().check(z.regex(/^#[0-9a-f]{6}$/));

/** One placed item of a desktop. */
export const DesktopItem = z.object({
  id: z.string(),
  reference: Reference,
  /** The placed title, else the reference's <meta><title>. */
  title: z.optional(z.string()),
  x: Num,
  y: Num,
  width: Num,
  height: Num,
  z: Num,
  /** The view kind of the item's reference; absent when its template has no known view. */
  kind: z.optional(ViewKind),
});
export type DesktopItem = Infer<typeof DesktopItem>;

export const DesktopState = z.object({
  kind: z.literal('desktop'),
  /** Back to front: ascending z, ties by id. */
  items: z.array(DesktopItem),
});

/** Another participant of a note, from awareness. */
export const NotePeer = z.object({
  clientId: Int,
  name: z.optional(z.string()),
  color: z.optional(z.string()),
  hasCursor: z.boolean(),
});

/** The text itself travels as `note.update` events into the view's own Yjs replica. */
export const NoteState = z.object({
  kind: z.literal('note'),
  /** Text length in UTF-16 code units. */
  length: NonNegativeInt,
  /** Everybody with an awareness state, by clientId. */
  peers: z.array(NotePeer),
});

export const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/webp'] as const;

export const ImageState = z.object({
  kind: z.literal('image'),
  mime: z.nullable(z.enum(IMAGE_MIMES)),
  /** The image file's bytes; null while there is no image. */
  data: z.nullable(Bytes),
  /** "lamport@sender" of the shown version. */
  version: z.nullable(z.string()),
  /** From the file header when it is cheap to read. */
  width: z.nullable(Num),
  height: z.nullable(Num),
  size: NonNegativeInt,
  /** Newer versions still arriving, oldest first. */
  uploads: z.array(z.object({ version: z.string(), received: NonNegativeInt, count: NonNegativeInt })),
});

/** One placed object of a 3D space. */
export const SpaceObject = z.object({
  id: z.string(),
  reference: Reference,
  /** The view kind of the object's reference, when it has a known one. */
  kind: z.optional(ViewKind),
  title: z.optional(z.string()),
  position: Vec3,
  /** As placed; views normalise it. */
  rotation: Quat,
  scale: Vec3,
});
export type SpaceObject = Infer<typeof SpaceObject>;

export const Space3DState = z.object({
  kind: z.literal('space3d'),
  /** Sorted by id. */
  objects: z.array(SpaceObject),
});

export const AirplaneState = z.object({
  kind: z.literal('airplane'),
  callsign: z.string(),
  color: Color,
  /** The bound CoordinateStream, or null. */
  stream: z.nullable(Reference),
  /** The track of that stream the airplane follows (0 when unbound). */
  track: NonNegativeInt,
  /** The bound Texture (e.g. an image), or null. */
  livery: z.nullable(Reference),
});

export const BuildingState = z.object({
  kind: z.literal('building'),
  name: z.string(),
  /** [x, z] vertices of a simple polygon. */
  footprint: z.array(z.tuple([Num, Num])).check(z.minLength(3)),
  height: Num,
  color: Color,
});

/** A geographic area (src-shared/spatial/geodata.ts): its name and [west, south, east, north]. */
const GeoArea = z.object({ name: z.string(), bounds: z.tuple([Num, Num, Num, Num]) }).check(
  z.superRefine((area, ctx) => {
    const problem = areaProblem(area);
    if (problem)
      ctx.issues.push({ code: 'custom', message: `is not a valid area (${problem})`, input: area });
  }),
);

export const MapAnnotation = z.object({
  id: z.string(),
  lon: Num,
  lat: Num,
  text: z.string(),
  author: z.string(),
  /** Scene coordinates of (lon, lat) in the map's area, metres. */
  x: Num,
  z: Num,
});
export type MapAnnotation = Infer<typeof MapAnnotation>;

export const MapState = z.object({
  kind: z.literal('map'),
  area: GeoArea,
  /** Sorted by id. */
  annotations: z.array(MapAnnotation),
});

/** A coordinate stream opened on its own: the members that have published samples. */
export const CoordinatesState = z.object({
  kind: z.literal('coordinates'),
  senders: z.array(z.string()),
});

/** The flight generator's stream: its parameters, who publishes, and the aircraft. */
export const FlightsState = z.object({
  kind: z.literal('flights'),
  count: NonNegativeInt,
  seed: Int,
  rateHz: Num,
  /** The member publishing now (lowest id of the view), null before the first view. */
  publisher: z.nullable(z.string()),
  /** True when this node is the publisher. */
  publishing: z.boolean(),
  tracks: z.array(z.object({ track: NonNegativeInt, callsign: z.string(), color: Color })),
});

export const ViewState = z.discriminatedUnion('kind', [
  DesktopState,
  NoteState,
  ImageState,
  Space3DState,
  AirplaneState,
  BuildingState,
  MapState,
  CoordinatesState,
  FlightsState,
]);
export type ViewState = Infer<typeof ViewState>;

type ViewStateByKind = { [S in ViewState as S['kind']]: S };

/** The view state of one kind, e.g. `ViewStateOf<'desktop'>`. */
export type ViewStateOf<K extends ViewKind> = ViewStateByKind[K];
