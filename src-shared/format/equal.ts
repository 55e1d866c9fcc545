// Structural equality of references and documents, ignoring where they were read from.
import type { LiveObjectDocument, Reference } from './document';

/** True when `a` and `b` denote the same reference; `pos` fields are ignored. */
export function referencesEqual(a: Reference, b: Reference): boolean {
  return deepEqual(a, b);
}

/** True when two documents have the same meta, declared types and reference; `pos` is ignored. */
export function documentsEqual(a: LiveObjectDocument, b: LiveObjectDocument): boolean {
  return deepEqual(a, b);
}

// The AST is plain data (objects, arrays, strings, numbers, booleans, Uint8Array), so one
// generic walk covers every node kind, including ones added later. Absent and undefined
// properties are the same; numbers compare with Object.is so -0 and 0 differ, as they
// are written differently.
function deepEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return (
      a instanceof Uint8Array &&
      b instanceof Uint8Array &&
      a.length === b.length &&
      a.every((x, i) => x === b[i])
    );
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
    );
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) {
    if (key === 'pos') continue;
    if (!deepEqual(ra[key], rb[key])) return false;
  }
  return true;
}
