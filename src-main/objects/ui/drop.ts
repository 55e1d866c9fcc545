// Whether a reference may be placed on a 2D desktop: its type must have a 2D user interface
// (⊑ UI). Used by the desktop object (place intents) and the host (checkDrop), so the
// renderer's preview and the object's decision agree.
import type { DropVerdict, ViewKind } from '../../../src-shared/bridge/protocol';
import type { LiveObjectDocument } from '../../../src-shared/format/document';
import { parseLiveObject } from '../../../src-shared/format';
import { UI, UI3D } from '../../../src-shared/model/catalogue';
import { formatObjectTypeName } from '../../../src-shared/model/describe';
import { isObjectSubtype } from '../../../src-shared/model/subtyping';
import type { ObjectType } from '../../../src-shared/model/types';
import type { ObjectCatalogue } from '../../runtime/catalogue';
import { typeOfReference } from '../../runtime/static-check';
import { createTypeEnvironment } from '../../runtime/type-checks';
import { primitiveIdOf, viewKindOf } from './view-kinds';

export interface DropCheck {
  readonly verdict: DropVerdict;
  readonly document?: LiveObjectDocument;
  readonly type?: ObjectType;
  readonly kind?: ViewKind;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Parses and type-checks `xml` as something to show in a 2D UI (a desktop item, a window). */
export function check2dUi(
  catalogue: ObjectCatalogue,
  xml: string,
  source = 'the dropped reference',
): DropCheck {
  let document: LiveObjectDocument;
  try {
    document = parseLiveObject(xml, { source });
  } catch (e) {
    return { verdict: { ok: false, reason: `${source} is not a valid .liveobject: ${message(e)}` } };
  }
  let type: ObjectType;
  try {
    type = typeOfReference(document.reference, { catalogue, types: createTypeEnvironment(document.types) });
  } catch (e) {
    return { document, verdict: { ok: false, reason: `${source} does not type-check: ${message(e)}` } };
  }
  const kind = viewKindOf(document.reference);
  const base = { document, type, ...(kind ? { kind } : {}) };
  if (isObjectSubtype(type, UI).ok) return { ...base, verdict: { ok: true } };
  const name = primitiveIdOf(document.reference) ?? document.meta.title ?? formatObjectTypeName(type);
  const reason = isObjectSubtype(type, UI3D).ok
    ? `${name} has only a 3D user interface (UI3D): place it in a 3D space`
    : `${name} has no 2D user interface (its type ${formatObjectTypeName(type)} has no 'ui' endpoint of type UI), so it cannot be shown here`;
  return { ...base, verdict: { ok: false, reason } };
}
