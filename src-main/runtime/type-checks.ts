// The runtime's view of the type system (src-shared/model): the few operations it needs,
// gathered here so the rest of the runtime does not depend on how the model names them.
import type { TypeDecl } from '../../src-shared/format/document';
import type { TypeExpr } from '../../src-shared/model/type-expr';
import type { CheckResult, EndpointType, ObjectType, ValueType } from '../../src-shared/model/types';
import { parseTypeExpr } from '../../src-shared/model/type-expr';
import {
  TypeEnvironment,
  isObjectSubtype,
  isValueSubtype,
  matchEndpoints as modelMatch,
} from '../../src-shared/model';

/** Resolves type expressions to types (the model's TypeEnvironment has this shape). */
export interface TypeResolver {
  resolveObjectType(expr: TypeExpr): ObjectType;
  resolveEndpointType(expr: TypeExpr): EndpointType;
  resolveValueType(expr: TypeExpr): ValueType;
}

/** τ1 ∝ τ2 (eq. 2.1). */
export function matchEndpoints(a: EndpointType, b: EndpointType): CheckResult {
  return modelMatch(a, b);
}

/** Θ1 ⊑ Θ2 (eq. 2.5–2.6). */
export function objectSubtype(a: ObjectType, b: ObjectType): CheckResult {
  return isObjectSubtype(a, b);
}

export function valueSubtype(a: ValueType, b: ValueType): CheckResult {
  return isValueSubtype(a, b);
}

/** The built-in types plus `declared` (a document's or a library's `<types>`). */
export function createTypeEnvironment(declared: readonly TypeDecl[] = []): TypeResolver {
  return TypeEnvironment.fromDeclarations(declared);
}

let builtins: TypeResolver | undefined;

/** The environment of built-in types only (shared; it is immutable). */
export function builtinTypes(): TypeResolver {
  return (builtins ??= createTypeEnvironment());
}

/** Resolves an object type written as text against the built-ins, e.g. `Folder<Name, Object>`. */
export function builtinObjectType(text: string): ObjectType {
  return builtinTypes().resolveObjectType(parseTypeExpr(text));
}
