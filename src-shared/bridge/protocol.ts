// The typed contract between the host (main process / web shell server) and the renderer.
// The same messages travel over Electron IPC (preload) and over the web shell's WebSocket
// (lib0-encoded binary frames, frame-codec.ts), so the renderer has one API whichever shell it
// runs in. Binary payloads are Uint8Array end to end. Untrusted input is checked against these
// schemas once, where it enters (validate.ts): command arguments at the host, events in the
// renderer's bridge client.
import { Intent } from './intents';
import { LibraryAnswer, LibraryConsentRequest, LibraryDecided } from './library-consent';
import { NetworkStatus } from './network';
import { StorageStatus } from './storage';
import { sampleProblem } from '../spatial/sample';
import { MAX_TRACK } from '../spatial/sample-codec';
import type { Quat, Vec3 } from '../spatial/vec';
import { Bytes, NonNegativeInt, ObjectHandle } from './values';
import { ViewKind, ViewState } from './view-state';
import { InvitationOffer, JoinArgs } from './workspace';
import type { JoinResult } from './workspace';
import type { Infer } from './zod';
import { z } from './zod';

export type { Intent } from './intents';
export type { LibraryAnswer, LibraryConsentRequest, LibraryDecided } from './library-consent';
export type { NetworkStatus } from './network';
export type { StorageStatus } from './storage';
export type { InvitationOffer, JoinResult, WorkspaceStatus } from './workspace';
export { VIEW_KINDS } from './view-state';
export type { ViewKind, ViewState, ViewStateOf } from './view-state';
export type { Quat, Vec3 } from '../spatial/vec';

/** Identifies one opened object (a proxy plus its view) for the lifetime of a bridge session. */
export type ObjectHandle = Infer<typeof ObjectHandle>;

/** Templates offered by the toolbox ("New desktop / note / image …"): one per view kind. */
export const TemplateKind = ViewKind;
export type TemplateKind = ViewKind;

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

/**
 * Checked by hand with the sample codec's own check (sampleProblem) rather than by an object
 * schema per sample: a batch carries up to 2048 samples, ~30 batches a second per handle, into
 * the render thread. Measured on Node 20 (jitless, as configured): a zod object schema took
 * 0.9-1.6 µs per sample (2.2-3.3 ms per full batch, copying every sample), this check 0.2 µs
 * (0.35-0.5 ms) and passes the batch through as it came.
 */
const PoseSamples = z.custom<readonly PoseSample[]>().check(
  z.superRefine((value, ctx) => {
    if (!Array.isArray(value)) {
      ctx.issues.push({ code: 'custom', message: 'must be a list of samples', input: value });
      return;
    }
    for (let i = 0; i < value.length; i++) {
      const sample: unknown = value[i];
      const problem = sampleProblem(sample) ?? trackProblem((sample as { track?: unknown }).track);
      if (problem) {
        ctx.issues.push({
          code: 'custom',
          message: `is not a valid sample (${problem})`,
          input: sample,
          path: [i],
        });
        return;
      }
    }
  }),
);

function trackProblem(track: unknown): string | undefined {
  return typeof track === 'number' && Number.isInteger(track) && track >= 0 && track <= MAX_TRACK
    ? undefined
    : 'bad track';
}

export const OpenedObject = z.object({
  handle: ObjectHandle,
  kind: ViewKind,
  title: z.string(),
  /** The object's reference as .liveobject XML (what "Save reference as…" writes). */
  reference: z.string(),
  /** Human-readable object type, e.g. `UI`. */
  type: z.string(),
  /** Sealed under a key in its reference (liveobjects.sealed): only holders of the file can read or change it. */
  private: z.boolean(),
});
export type OpenedObject = Infer<typeof OpenedObject>;

const Member = z.object({ id: z.string(), name: z.string() });
export type Member = Infer<typeof Member>;

/**
 * Whether a reference may be dropped on a container object, and why not: `reason` in everyday
 * words (what to do instead), `why` the type explanation behind it, shown on request.
 */
export type DropVerdict =
  { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly why?: string };

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

const NoArgs = z.object({});

/** The arguments of every command: renderer → host, each answered with a result or an error. */
export const COMMAND_ARGS = {
  hello: NoArgs,
  templates: NoArgs,
  /** Opens a reference (the text of a .liveobject file); `source` names it in errors.
   * `askAgain`: the user opened it explicitly, so a library they denied is asked about again. */
  open: z.object({ xml: z.string(), source: z.optional(z.string()), askAgain: z.optional(z.boolean()) }),
  /** Mints a new object of a template (a fresh group) and opens it. */
  create: z.object({ template: TemplateKind, title: z.optional(z.string()) }),
  close: z.object({ handle: ObjectHandle }),
  act: z.object({ handle: ObjectHandle, intent: Intent }),
  /** Type-checks a drop of `xml` onto the container `handle` without changing anything. */
  checkDrop: z.object({ handle: ObjectHandle, xml: z.string() }),
  /** The same check for a new object of `template`, asked before it is created (so a refused
   * drop creates nothing, in memory or on disk). */
  checkTemplateDrop: z.object({ handle: ObjectHandle, template: TemplateKind }),
  /** What the host sees of the network now (network.ts); changes arrive as `network` events. */
  network: NoArgs,
  /** Whether the host can save to disk now (storage.ts); changes arrive as `storage` events. */
  storage: NoArgs,
  /** The user's answer to a `library.consent` request (library-consent.ts). */
  'library.answer': LibraryAnswer,
  /** Joins the workspace of an invitation (after the user agreed); in effect at restart. */
  join: JoinArgs,
} as const;

interface CommandResults {
  hello: HostInfo;
  templates: readonly TemplateInfo[];
  open: OpenedObject;
  create: OpenedObject;
  close: null;
  act: null;
  checkDrop: DropVerdict;
  checkTemplateDrop: DropVerdict;
  network: NetworkStatus;
  storage: StorageStatus;
  'library.answer': null;
  join: JoinResult;
}

export type CommandName = keyof typeof COMMAND_ARGS;

export type Commands = {
  [C in CommandName]: { args: Infer<(typeof COMMAND_ARGS)[C]>; result: CommandResults[C] };
};

/** The data of every event: host → renderer. */
export const EVENT_DATA = {
  /** The view state of an object's UI endpoint, keyed by its view kind. */
  state: z.object({ handle: ObjectHandle, state: ViewState }),
  /** A Yjs document update for a note view's replica. */
  'note.update': z.object({ handle: ObjectHandle, update: Bytes }),
  /** A y-protocols awareness update for a note view's replica. */
  'note.awareness': z.object({ handle: ObjectHandle, update: Bytes }),
  presence: z.object({ handle: ObjectHandle, members: z.array(Member) }),
  /**
   * Coordinate samples for an object that shows motion: an airplane bound to a stream (only its
   * track), or a coordinates/flights object (all tracks). Receivers interpolate (src-shared/spatial).
   */
  'stream.samples': z.object({ handle: ObjectHandle, samples: PoseSamples }),
  /** Something went wrong with an object, or with the host; `handle` when it concerns one. */
  error: z.object({ handle: z.optional(ObjectHandle), message: z.string() }),
  /** A file opened by the shell (argv, open-file, second instance) for the renderer to show. */
  opened: OpenedObject,
  /** The host's network status (interface, membership service, transport, peers, problems),
   * each time it changes; at most a couple a second. */
  network: NetworkStatus,
  /** Whether the host can save to disk; `failing` lasts until every unsaved state is written. */
  storage: StorageStatus,
  /** Opening an object needs code from a library this host's user has not allowed. */
  'library.consent': LibraryConsentRequest,
  /** This host's remembered answer about a library changed. */
  'library.decided': LibraryDecided,
  /** An invitation the shell was asked to open: the renderer asks the user whether to join. */
  invitation: InvitationOffer,
} as const;

export type EventName = keyof typeof EVENT_DATA;

export type Events = { [E in EventName]: Infer<(typeof EVENT_DATA)[E]> };

/** Wire frames of the WebSocket transport (Electron IPC carries the same payloads). */
export type ClientFrame = {
  [C in CommandName]: { readonly id: number; readonly command: C; readonly args: Commands[C]['args'] };
}[CommandName];

/** A client frame as far as the transport reads it; the host checks command and args. */
export const ClientFrameEnvelope = z.object({
  id: NonNegativeInt,
  command: z.optional(z.unknown()),
  args: z.optional(z.unknown()),
});

/** The answer to the client frame with the same id. */
export const ReplyFrame = z.discriminatedUnion('ok', [
  z.object({ id: NonNegativeInt, ok: z.literal(true), result: z.optional(z.unknown()) }),
  z.object({ id: NonNegativeInt, ok: z.literal(false), error: z.optional(z.string()) }),
]);
export type ReplyFrame =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

export interface EventFrame<E extends EventName = EventName> {
  readonly event: E;
  readonly data: Events[E];
}

export type ServerFrame = ReplyFrame | EventFrame;

/** The renderer's view of the bridge: one implementation per shell. */
export interface BridgeClient {
  call<C extends CommandName>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']>;
  on<E extends EventName>(event: E, listener: (data: Events[E]) => void): () => void;
}
