// The in-memory form of a .liveobject file (liveobject-format.md): a reference tree plus
// meta and declared types. Parsing and writing live in parse.ts / write.ts; every node keeps
// the position it was read from so later checks (type errors at dereference) can point at it.
import type { TypeExpr } from '../model/type-expr';

/** 1-based line and column in the source file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export type Reference = PrimitiveReference | CompositeReference | ExternalReference | ParameterizedReference;

interface Positioned {
  /** Where this node was read from; absent for references built in code. */
  readonly pos?: SourcePosition;
}

export interface PrimitiveReference extends Positioned {
  readonly kind: 'primitive';
  /** Dotted name (`qsm.channel`) or 32 hex digits. */
  readonly id: string;
}

export interface EndpointPath {
  readonly component: string;
  readonly endpoint: string;
}

export interface Component extends Positioned {
  readonly name: string;
  readonly reference: Reference;
}

export interface Connection extends Positioned {
  readonly a: EndpointPath;
  readonly b: EndpointPath;
}

export interface Export extends Positioned {
  readonly endpoint: EndpointPath;
  /** Name of the exported endpoint; defaults to endpoint.endpoint when read. */
  readonly as: string;
}

export interface CompositeReference extends Positioned {
  readonly kind: 'composite';
  readonly components: readonly Component[];
  readonly connections: readonly Connection[];
  readonly exports: readonly Export[];
}

export interface ExternalReference extends Positioned {
  readonly kind: 'external';
  readonly name: string;
  readonly as: TypeExpr;
  readonly from: Reference;
}

export type ValueKind = 'string' | 'int' | 'double' | 'bool' | 'bytes' | 'address';

export interface Address {
  readonly host: string;
  readonly port: number;
}

/** A serializable template argument of a value type (`<value type="…">`). */
export type Value =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'bytes'; readonly value: Uint8Array }
  | { readonly type: 'address'; readonly value: Address };

export type ParamValue =
  | { readonly kind: 'reference'; readonly reference: Reference }
  | { readonly kind: 'value'; readonly value: Value }
  | { readonly kind: 'type'; readonly type: TypeExpr };

export interface Param extends Positioned {
  readonly name: string;
  readonly value: ParamValue;
}

export interface ParameterizedReference extends Positioned {
  readonly kind: 'parameterized';
  readonly template: Reference;
  readonly params: readonly Param[];
}

export interface ConstraintDecl extends Positioned {
  readonly formalism: string;
  readonly text: string;
}

export interface EventDecl extends Positioned {
  readonly event: string;
  /** The event's value types; empty when the `type` attribute is absent. `type="A, B"` gives two. */
  readonly types: readonly TypeExpr[];
}

export interface EndpointTypeDecl extends Positioned {
  readonly kind: 'endpointtype';
  readonly name: string;
  readonly in: readonly EventDecl[];
  readonly out: readonly EventDecl[];
  readonly provides: readonly ConstraintDecl[];
  readonly requires: readonly ConstraintDecl[];
}

export interface EndpointDecl extends Positioned {
  readonly name: string;
  readonly type: TypeExpr;
}

export interface ObjectTypeDecl extends Positioned {
  readonly kind: 'objecttype';
  readonly name: string;
  readonly endpoints: readonly EndpointDecl[];
  readonly provides: readonly ConstraintDecl[];
  readonly requires: readonly ConstraintDecl[];
}

export type TypeDecl = EndpointTypeDecl | ObjectTypeDecl;

export interface Meta {
  readonly title?: string;
  readonly description?: string;
  readonly author?: string;
}

/** One .liveobject file. */
export interface LiveObjectDocument {
  readonly meta: Meta;
  readonly types: readonly TypeDecl[];
  readonly reference: Reference;
}
