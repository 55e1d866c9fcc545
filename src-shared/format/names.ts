// Syntax of the names that appear in attributes. Only the shape is checked here; whether a
// primitive id, formalism or type name is known is for the runtime catalogue and the model.

/** Component, endpoint, export, parameter and event names. No dots: `a="Comp.endpoint"` splits at the dot. */
export const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
export const NAME_SYNTAX = 'a name (a letter or _ followed by letters, digits, _ or -)';

/** Declared type names, as type expressions spell them. */
export const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
export const TYPE_NAME_SYNTAX = 'a type name (a letter or _ followed by letters, digits, _ or .)';

/** Formalism ids and primitive ids: `qsm.channel`. */
export const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
export const DOTTED_NAME_SYNTAX = 'a dotted name such as liveobjects.guarantees';

const HEX_ID = /^[0-9A-Fa-f]{32}$/;
export const PRIMITIVE_ID_SYNTAX = 'a dotted name (such as qsm.channel) or 32 hex digits';

export function isPrimitiveId(id: string): boolean {
  return DOTTED_NAME.test(id) || HEX_ID.test(id);
}
