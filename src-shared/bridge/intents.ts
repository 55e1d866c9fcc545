// User intents: what a view asks of its object's UI endpoint (the `act` command). The host
// checks every intent against this schema before the object sees it; each view kind has its own.
import { Bytes, NonNegativeInt, Num, Quat, Reference, Vec3 } from './values';
import type { Infer } from './zod';
import { z } from './zod';

const Id = z.string();

export const Intent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('desktop.place'),
    reference: Reference,
    x: Num,
    y: Num,
    width: z.optional(Num),
    height: z.optional(Num),
  }),
  z.object({ kind: z.literal('desktop.move'), id: Id, x: Num, y: Num }),
  z.object({ kind: z.literal('desktop.resize'), id: Id, width: Num, height: Num }),
  z.object({ kind: z.literal('desktop.raise'), id: Id }),
  z.object({ kind: z.literal('desktop.remove'), id: Id }),
  /** A Yjs update produced by the note view's local Y.Doc. */
  z.object({ kind: z.literal('note.update'), update: Bytes }),
  /** A y-protocols awareness update: cursor, selection, name. */
  z.object({ kind: z.literal('note.awareness'), update: Bytes }),
  /** The image file to replace the image with. */
  z.object({ kind: z.literal('image.set'), mime: z.string(), data: Bytes }),
  /** Places an object with a 3D UI in a 3D space (type-checked by the host like desktop drops). */
  z.object({
    kind: z.literal('space3d.place'),
    reference: Reference,
    position: z.optional(Vec3),
    rotation: z.optional(Quat),
    scale: z.optional(Vec3),
  }),
  z.object({ kind: z.literal('space3d.move'), id: Id, position: Vec3 }),
  z.object({ kind: z.literal('space3d.rotate'), id: Id, rotation: Quat }),
  z.object({ kind: z.literal('space3d.scale'), id: Id, scale: Vec3 }),
  z.object({ kind: z.literal('space3d.remove'), id: Id }),
  /** Binds a coordinate stream (fly along it; `track` picks one of its tracks) or a texture (livery). */
  z.object({ kind: z.literal('airplane.bind'), reference: Reference, track: z.optional(NonNegativeInt) }),
  z.object({ kind: z.literal('airplane.unbind'), what: z.enum(['stream', 'livery']) }),
  z.object({ kind: z.literal('airplane.callsign'), callsign: z.string() }),
  z.object({ kind: z.literal('building.color'), color: z.string() }),
  z.object({ kind: z.literal('map.annotate'), lon: Num, lat: Num, text: z.string() }),
  z.object({ kind: z.literal('map.unannotate'), id: Id }),
]);
export type Intent = Infer<typeof Intent>;
