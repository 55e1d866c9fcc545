// What may be dropped where, decided on the reference's static type (src-shared/model ⊑):
// a desktop takes objects with a 2D UI (⊑ UI), a 3D space objects with a 3D UI (⊑ UI3D), an
// airplane coordinate streams (⊑ CoordinateStream) and textures (⊑ Texture). The container
// objects (place/bind intents) and the host (checkDrop, open) use the same checks, so the
// renderer's preview and the object's decision agree. A refusal says what to do in everyday
// words (plain-words.ts); the type explanation comes along as its `why`.
import type { DropVerdict, ViewKind } from '../../../src-shared/bridge/protocol';
import type { LiveObjectDocument } from '../../../src-shared/format/document';
import { parseLiveObject } from '../../../src-shared/format';
import { COORDINATE_STREAM, TEXTURE, UI, UI3D } from '../../../src-shared/model/catalogue';
import { formatObjectTypeName } from '../../../src-shared/model/describe';
import { isObjectSubtype } from '../../../src-shared/model/subtyping';
import type { ObjectType } from '../../../src-shared/model/types';
import type { ObjectCatalogue } from '../../runtime/catalogue';
import { typeOfReference } from '../../runtime/static-check';
import { createTypeEnvironment } from '../../runtime/type-checks';
import { primitiveIdOf, viewKindOf } from './view-kinds';
import { errorText } from '../../../src-shared/util/error-text';
import type { DroppedName } from './plain-words';
import { capitalised, oneOf, ruleSentence } from './plain-words';

export interface DropCheck {
  readonly verdict: DropVerdict;
  readonly document?: LiveObjectDocument;
  readonly type?: ObjectType;
  readonly kind?: ViewKind;
}

/** How a view attaches to an object: its 2D UI, its 3D UI, or its coordinate stream. */
export type ViewEndpoint = 'ui' | 'ui3d' | 'stream';

export interface OpenCheck extends DropCheck {
  readonly endpoint?: ViewEndpoint;
}

export interface AirplaneDropCheck extends DropCheck {
  /** What the airplane does with it (when accepted). */
  readonly binding?: 'stream' | 'livery';
}

type Analysed =
  | { readonly ok: false; readonly check: DropCheck }
  | {
      readonly ok: true;
      readonly base: DropCheck & { readonly document: LiveObjectDocument; readonly type: ObjectType };
      readonly name: string;
      readonly words: DroppedName;
    };

/** Parses `xml` and derives its type statically (nothing is dereferenced). */
function analyse(catalogue: ObjectCatalogue, xml: string, source: string): Analysed {
  let document: LiveObjectDocument;
  try {
    document = parseLiveObject(xml, { source });
  } catch (e) {
    return {
      ok: false,
      check: { verdict: { ok: false, reason: `${source} is not a valid .liveobject: ${errorText(e)}` } },
    };
  }
  let type: ObjectType;
  try {
    type = typeOfReference(document.reference, { catalogue, types: createTypeEnvironment(document.types) });
  } catch (e) {
    return {
      ok: false,
      check: { document, verdict: { ok: false, reason: `${source} does not type-check: ${errorText(e)}` } },
    };
  }
  const kind = viewKindOf(document.reference);
  const name = primitiveIdOf(document.reference) ?? document.meta.title ?? formatObjectTypeName(type);
  const title = document.meta.title;
  const words: DroppedName = { ...(kind ? { kind } : {}), ...(title ? { title } : {}) };
  return {
    ok: true,
    base: { document, type, ...(kind ? { kind } : {}), verdict: { ok: true } },
    name,
    words,
  };
}

const is = (type: ObjectType, sup: ObjectType): boolean => isObjectSubtype(type, sup).ok;
interface Refusal {
  /** What to do, in everyday words. */
  readonly reason: string;
  /** The type explanation behind it. */
  readonly why: string;
}

const refuse = (base: DropCheck, { reason, why }: Refusal): DropCheck => ({
  ...base,
  verdict: { ok: false, reason, why },
});

/** A refusal as one line, for errors that have no room for a disclosure (a refused intent). */
export function refusalText(verdict: DropVerdict): string {
  if (verdict.ok) return '';
  return verdict.why ? `${verdict.reason} (${verdict.why})` : verdict.reason;
}

/** Accepts what is ⊑ `sup`; refuses the rest with `refusal(…)`. */
function checkSubtype(
  catalogue: ObjectCatalogue,
  xml: string,
  source: string,
  sup: ObjectType,
  refusal: (name: string, type: ObjectType, words: DroppedName) => Refusal,
): DropCheck {
  const a = analyse(catalogue, xml, source);
  if (!a.ok) return a.check;
  return is(a.base.type, sup) ? a.base : refuse(a.base, refusal(a.name, a.base.type, a.words));
}

/** Something to show in a 2D UI (a desktop item): ⊑ UI. */
export function check2dUi(
  catalogue: ObjectCatalogue,
  xml: string,
  source = 'the dropped reference',
): DropCheck {
  return checkSubtype(catalogue, xml, source, UI, (name, type, words) =>
    is(type, UI3D)
      ? {
          reason: `${ruleSentence(words, words.kind === 'airplane' ? 'fly in 3D spaces' : 'belong in 3D spaces', 'belongs in a 3D space')} — drop it into one`,
          why: `${name} has only a 3D user interface (UI3D): place it in a 3D space`,
        }
      : {
          reason: is(type, COORDINATE_STREAM)
            ? `${capitalised(oneOf(words))} has nothing to show on a desktop — drop it onto an airplane in a 3D space`
            : `${capitalised(oneOf(words))} has nothing to show on a desktop`,
          why: `${name} has no 2D user interface (its type ${formatObjectTypeName(type)} has no 'ui' endpoint of type UI), so it cannot be shown here`,
        },
  );
}

/** Something to place in a 3D space: ⊑ UI3D. */
export function check3dUi(
  catalogue: ObjectCatalogue,
  xml: string,
  source = 'the dropped reference',
): DropCheck {
  return checkSubtype(catalogue, xml, source, UI3D, (name, type, words) =>
    is(type, UI)
      ? {
          reason:
            `${ruleSentence(words, 'live on desktops', 'belongs on a desktop')} — drop it onto a desktop` +
            (is(type, TEXTURE) ? ', or onto an airplane as its livery' : ''),
          why: `${name} has only a 2D user interface (UI): place it on a desktop`,
        }
      : {
          reason: is(type, COORDINATE_STREAM)
            ? `${capitalised(oneOf(words))} has nothing to show by itself — drop it onto an airplane to fly along it`
            : `${capitalised(oneOf(words))} has nothing to show in a 3D space`,
          why: `a 3D space accepts only objects with a 3D user interface (UI3D); ${name} (${formatObjectTypeName(type)}) has none`,
        },
  );
}

/** Something to drop on an airplane: a coordinate stream (to fly along) or a texture (livery). */
export function checkAirplaneDrop(
  catalogue: ObjectCatalogue,
  xml: string,
  source = 'the dropped reference',
): AirplaneDropCheck {
  const a = analyse(catalogue, xml, source);
  if (!a.ok) return a.check;
  if (is(a.base.type, COORDINATE_STREAM)) return { ...a.base, binding: 'stream' };
  if (is(a.base.type, TEXTURE)) return { ...a.base, binding: 'livery' };
  return refuse(a.base, {
    reason: `An airplane takes a flight stream or an image (its livery); ${oneOf(a.words)} is neither`,
    why: `an airplane accepts only coordinate streams and textures; ${a.name} is neither`,
  });
}

/**
 * Something the host can show: a 2D UI (window), a 3D UI (inside a 3D space view) or a
 * coordinate stream (its tracks). The first that applies wins.
 */
export function checkOpenable(catalogue: ObjectCatalogue, xml: string, source = 'the reference'): OpenCheck {
  const a = analyse(catalogue, xml, source);
  if (!a.ok) return a.check;
  const t = a.base.type;
  if (is(t, UI)) return { ...a.base, endpoint: 'ui' };
  if (is(t, UI3D)) return { ...a.base, endpoint: 'ui3d' };
  if (is(t, COORDINATE_STREAM)) return { ...a.base, endpoint: 'stream' };
  return refuse(a.base, {
    reason: `${capitalised(oneOf(a.words))} has nothing to show`,
    why: `${a.name} has no user interface (its type ${formatObjectTypeName(t)} is not a subtype of UI, UI3D or CoordinateStream), so it cannot be shown`,
  });
}
