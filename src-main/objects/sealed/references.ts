// Object keys inside references. A reference to a private object holds its key, so placing it
// in a container (a desktop's items, a 3D space's objects, an airplane's bindings) hands the key
// to whoever can read that container: only a private container keeps it among the same people.
import type { Reference } from '../../../src-shared/format/document';
import { parseLiveObject } from '../../../src-shared/format';
import { SEALED_ID } from './sealed-entry';

/** The `key` arguments of every liveobjects.sealed inside `reference`. */
export function sealedKeysIn(reference: Reference): Uint8Array[] {
  switch (reference.kind) {
    case 'primitive':
      return [];
    case 'external':
      return sealedKeysIn(reference.from);
    case 'composite':
      return reference.components.flatMap((c) => sealedKeysIn(c.reference));
    case 'parameterized': {
      const sealed = reference.template.kind === 'primitive' && reference.template.id === SEALED_ID;
      return [
        ...sealedKeysIn(reference.template),
        ...reference.params.flatMap((p) => {
          if (p.value.kind === 'reference') return sealedKeysIn(p.value.reference);
          if (sealed && p.name === 'key' && p.value.kind === 'value' && p.value.value.type === 'bytes')
            return [p.value.value.value];
          return [];
        }),
      ];
    }
  }
}

/** Whether the .liveobject text `xml` holds an object key (unreadable text holds none). */
export function holdsObjectKey(xml: string): boolean {
  try {
    return sealedKeysIn(parseLiveObject(xml).reference).length > 0;
  } catch {
    return false;
  }
}

/**
 * Why `xml` may not be placed in a container that is not private (`containerPrivate` false),
 * or undefined when it may.
 */
export function keyExposure(containerPrivate: boolean, xml: string, container: string): string | undefined {
  if (containerPrivate || !holdsObjectKey(xml)) return undefined;
  return (
    `${container} is not private: placing a private object in it would give that object's key to ` +
    `anyone on the workspace network who learns ${container}'s name. Place it in a private one ` +
    '(objects created in this version are private)'
  );
}
