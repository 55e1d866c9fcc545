// liveobjects.airplane: a replicated airplane: callsign, colour and two bindings made by
// dropping objects on it — a CoordinateStream that moves it and a Texture for its livery.
// Whether a dropped reference has the right type is the host's type check; the model only
// stores the reference XML (bounded) in LWW registers. Unbinding writes null.
import { MessageKind } from '../models/kinds';
import type { Send } from '../models/model';
import { MAX_TRACK } from '../../../src-shared/spatial/sample-codec';
import type { DocSchema, Reader } from '../models/doc-codec';
import { Invalid } from '../models/doc-codec';
import { DocModel } from '../models/doc-model';
import { color, nullable, reference, text } from './fields';

export const AIRPLANE_TYPE = 'liveobjects.airplane';

export const AIRPLANE_LIMITS = {
  maxCallsignLength: 32,
  maxReferenceBytes: 64 * 1024,
  maxUpdateBytes: 256 * 1024,
} as const;

export const AIRPLANE_DEFAULTS = { callsign: '', color: '#d8dde6' } as const;

/** A stream may carry several aircraft (tracks); the airplane follows one of them. */
interface StreamBinding {
  readonly reference: string;
  readonly track: number;
}

interface AirplaneFields {
  callsign: string;
  color: string;
  stream: StreamBinding | null;
  livery: string | null;
}

export interface AirplaneView {
  readonly callsign: string;
  /** '#rrggbb' */
  readonly color: string;
  /** .liveobject XML of the bound CoordinateStream, or null. */
  readonly stream: string | null;
  /** The track of that stream the airplane follows (0 when unbound). */
  readonly track: number;
  /** .liveobject XML of the bound Texture, or null. */
  readonly livery: string | null;
}

export type AirplaneBinding = 'stream' | 'livery';

const readStreamReference = reference('The stream reference', AIRPLANE_LIMITS.maxReferenceBytes);
const readTrack: Reader<number> = (raw) => {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > MAX_TRACK) {
    throw new Invalid(`The track must be an integer from 0 to ${MAX_TRACK}.`);
  }
  return raw;
};

const schema: DocSchema<AirplaneFields, Record<never, never>> = {
  name: 'airplane',
  root: {
    callsign: text('The callsign', AIRPLANE_LIMITS.maxCallsignLength),
    color: color('The colour'),
    stream: nullable((raw) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw new Invalid('The stream binding must be an object.');
      }
      const o = raw as Record<string, unknown>;
      return { reference: readStreamReference(o['reference']), track: readTrack(o['track']) };
    }),
    livery: nullable(reference('The livery reference', AIRPLANE_LIMITS.maxReferenceBytes)),
  },
  item: {},
};

export class AirplaneModel extends DocModel<AirplaneFields, Record<never, never>, AirplaneView> {
  constructor(options: { readonly self: string; readonly send: Send }) {
    super(options, {
      type: AIRPLANE_TYPE,
      schema,
      updateKind: MessageKind.AirplaneUpdate,
      stateKind: MessageKind.AirplaneState,
      maxRecords: 0,
      maxUpdateBytes: AIRPLANE_LIMITS.maxUpdateBytes,
    });
  }

  setCallsign(callsign: string): void {
    this.writeRoot('callsign', this.readRoot('callsign', callsign));
  }

  setColor(value: string): void {
    this.writeRoot('color', this.readRoot('color', value));
  }

  /** Binds a CoordinateStream (its reference XML): the airplane follows `track` of it. */
  bindStream(referenceXml: string, track = 0): void {
    this.writeRoot('stream', this.readRoot('stream', { reference: referenceXml, track }));
  }

  /** Binds a Texture (its reference XML) as the livery. */
  bindLivery(referenceXml: string): void {
    this.writeRoot('livery', this.readRoot('livery', referenceXml));
  }

  unbind(binding: AirplaneBinding): void {
    if (binding !== 'stream' && binding !== 'livery')
      throw new TypeError(`unknown binding ${String(binding)}`);
    this.writeRoot(binding, null);
  }

  protected computeView(): AirplaneView {
    const r = this.state.root;
    return {
      callsign: r.callsign?.value ?? AIRPLANE_DEFAULTS.callsign,
      color: r.color?.value ?? AIRPLANE_DEFAULTS.color,
      stream: r.stream?.value?.reference ?? null,
      track: r.stream?.value?.track ?? 0,
      livery: r.livery?.value ?? null,
    };
  }
}
