// The typed contract between the host (main process / web shell server) and the renderer.
// The same messages travel over Electron IPC (preload) and over the web shell's WebSocket,
// so the renderer has one API whichever shell it runs in. Everything here is JSON-safe.

/** Identifies one opened object (a proxy plus its view) for the lifetime of a bridge session. */
export type ObjectHandle = string;

/** Which view the renderer uses for an object's UI endpoint. */
export type ViewKind =
  'desktop' | 'note' | 'image' | 'space3d' | 'airplane' | 'building' | 'map' | 'coordinates' | 'flights';

/** [x, y, z] in scene units (metres in geographic scenes; y up). */
export type Vec3 = readonly [number, number, number];
/** Unit quaternion [x, y, z, w]. */
export type Quat = readonly [number, number, number, number];

/** One coordinate-stream sample as the renderer receives it (see src-shared/spatial). */
export interface PoseSample {
  /** Track within the stream (a flight generator publishes many). */
  readonly track: number;
  /** Sender clock, ms. */
  readonly t: number;
  readonly position: Vec3;
  readonly orientation: Quat;
  /** Units per second. */
  readonly velocity: Vec3;
}

/** Templates offered by the toolbox ("New desktop / note / image …"). */
export type TemplateKind =
  | 'desktop'
  | 'note'
  | 'image'
  | 'space3d'
  | 'airplane'
  | 'building'
  | 'map'
  /** A coordinate stream (`liveobjects.coordinates`): one group of samples published by members. */
  | 'coordinates'
  /** A coordinate stream driven by the built-in flight generator (one member publishes). */
  | 'flights';

export interface OpenedObject {
  readonly handle: ObjectHandle;
  readonly kind: ViewKind;
  readonly title: string;
  /** The object's reference as .liveobject XML (what "Save reference as…" writes). */
  readonly reference: string;
  /** Human-readable object type, e.g. `UI`. */
  readonly type: string;
}

export interface Member {
  readonly id: string;
  readonly name: string;
}

/** Whether a reference may be dropped on a container object, and why not. */
export type DropVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface TemplateInfo {
  readonly kind: TemplateKind;
  readonly title: string;
  readonly description: string;
}

export interface HostInfo {
  readonly shell: 'electron' | 'web';
  readonly nodeId: string;
  readonly userName: string;
  readonly version: string;
}

/** User intents forwarded to an object's UI endpoint; each view kind has its own. */
export type Intent =
  | {
      readonly kind: 'desktop.place';
      readonly reference: string;
      readonly x: number;
      readonly y: number;
      readonly width?: number;
      readonly height?: number;
    }
  | { readonly kind: 'desktop.move'; readonly id: string; readonly x: number; readonly y: number }
  | { readonly kind: 'desktop.resize'; readonly id: string; readonly width: number; readonly height: number }
  | { readonly kind: 'desktop.raise'; readonly id: string }
  | { readonly kind: 'desktop.remove'; readonly id: string }
  /** Yjs update bytes (base64) produced by the note view's local Y.Doc. */
  | { readonly kind: 'note.update'; readonly update: string }
  /** Awareness update bytes (base64): cursor, selection, name. */
  | { readonly kind: 'note.awareness'; readonly update: string }
  /** Image bytes (base64) to replace the image with. */
  | { readonly kind: 'image.set'; readonly mime: string; readonly data: string }
  /** Places an object with a 3D UI in a 3D space (type-checked by the host like desktop drops). */
  | {
      readonly kind: 'space3d.place';
      readonly reference: string;
      readonly position?: Vec3;
      readonly rotation?: Quat;
      readonly scale?: Vec3;
    }
  | { readonly kind: 'space3d.move'; readonly id: string; readonly position: Vec3 }
  | { readonly kind: 'space3d.rotate'; readonly id: string; readonly rotation: Quat }
  | { readonly kind: 'space3d.scale'; readonly id: string; readonly scale: Vec3 }
  | { readonly kind: 'space3d.remove'; readonly id: string }
  /** Drops a coordinate stream (fly along it; `track` picks one of its tracks) or a texture (livery). */
  | { readonly kind: 'airplane.bind'; readonly reference: string; readonly track?: number }
  | { readonly kind: 'airplane.unbind'; readonly what: 'stream' | 'livery' }
  | { readonly kind: 'airplane.callsign'; readonly callsign: string }
  | { readonly kind: 'building.color'; readonly color: string }
  | { readonly kind: 'map.annotate'; readonly lon: number; readonly lat: number; readonly text: string }
  | { readonly kind: 'map.unannotate'; readonly id: string };

/** Commands: renderer → host, each answered with a result or an error. */
export interface Commands {
  hello: { args: Record<string, never>; result: HostInfo };
  templates: { args: Record<string, never>; result: readonly TemplateInfo[] };
  /** Opens a reference (the text of a .liveobject file); `source` names it in errors. */
  open: { args: { readonly xml: string; readonly source?: string }; result: OpenedObject };
  /** Mints a new object of a template (a fresh group) and opens it. */
  create: { args: { readonly template: TemplateKind; readonly title?: string }; result: OpenedObject };
  close: { args: { readonly handle: ObjectHandle }; result: null };
  act: { args: { readonly handle: ObjectHandle; readonly intent: Intent }; result: null };
  /** Type-checks a drop of `xml` onto the container `handle` without changing anything. */
  checkDrop: { args: { readonly handle: ObjectHandle; readonly xml: string }; result: DropVerdict };
}

export type CommandName = keyof Commands;

/** Events: host → renderer. */
export interface Events {
  /** The view state of an object's UI endpoint (shape depends on the view kind). */
  state: { readonly handle: ObjectHandle; readonly state: unknown };
  /** Yjs document update (base64) for a note view's replica. */
  'note.update': { readonly handle: ObjectHandle; readonly update: string };
  'note.awareness': { readonly handle: ObjectHandle; readonly update: string };
  presence: { readonly handle: ObjectHandle; readonly members: readonly Member[] };
  /**
   * Coordinate samples for an object that shows motion: an airplane bound to a stream (only its
   * track), or a coordinates/flights object (all tracks). Receivers interpolate (src-shared/spatial).
   */
  'stream.samples': { readonly handle: ObjectHandle; readonly samples: readonly PoseSample[] };
  /** Something went wrong with an object, or with the host; `handle` when it concerns one. */
  error: { readonly handle?: ObjectHandle; readonly message: string };
  /** A file opened by the shell (argv, open-file, second instance) for the renderer to show. */
  opened: OpenedObject;
}

export type EventName = keyof Events;

/** Wire frames of the WebSocket transport (Electron IPC carries the same payloads). */
export type ClientFrame = { readonly id: number; readonly command: CommandName; readonly args: unknown };
export type ServerFrame =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string }
  | { readonly event: EventName; readonly data: unknown };

/** The renderer's view of the bridge: one implementation per shell. */
export interface BridgeClient {
  call<C extends CommandName>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']>;
  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void;
}
