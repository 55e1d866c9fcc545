// Small constructors for types built in code (catalogue, runtime objects, tests).
import type {
  Constraint,
  Constraints,
  EndpointType,
  EventType,
  ObjectType,
  PrimitiveValueTypeName,
  ValueType,
} from './types';

export const PRIMITIVE_VALUE_TYPE_NAMES: readonly PrimitiveValueTypeName[] = [
  'String',
  'Int',
  'Double',
  'Bool',
  'Bytes',
  'Address',
  'Name',
];

export function primitive(name: PrimitiveValueTypeName): ValueType {
  return { kind: 'primitive', name };
}

export function reference(target: ObjectType): ValueType {
  return { kind: 'reference', target };
}

export function event(name: string, ...params: ValueType[]): EventType {
  return { name, params };
}

/** A Constraints map; throws if two constraints share a formalism (the map holds one each). */
export function constraints(...list: Constraint[]): Constraints {
  const map = new Map<string, Constraint>();
  for (const c of list) {
    if (map.has(c.formalism))
      throw new Error(`two constraints of formalism '${c.formalism}' given; combine them`);
    map.set(c.formalism, c);
  }
  return map;
}

export const NO_CONSTRAINTS: Constraints = new Map();

export interface EndpointTypeSpec {
  readonly name: string;
  readonly in?: readonly EventType[];
  readonly out?: readonly EventType[];
  readonly provides?: Constraints;
  readonly requires?: Constraints;
}

export function endpointType(spec: EndpointTypeSpec): EndpointType {
  return {
    name: spec.name,
    in: spec.in ?? [],
    out: spec.out ?? [],
    provides: spec.provides ?? NO_CONSTRAINTS,
    requires: spec.requires ?? NO_CONSTRAINTS,
  };
}

export interface ObjectTypeSpec {
  readonly name: string;
  readonly endpoints?: Iterable<readonly [string, EndpointType]>;
  readonly provides?: Constraints;
  readonly requires?: Constraints;
}

export function objectType(spec: ObjectTypeSpec): ObjectType {
  return {
    name: spec.name,
    endpoints: new Map(spec.endpoints ?? []),
    provides: spec.provides ?? NO_CONSTRAINTS,
    requires: spec.requires ?? NO_CONSTRAINTS,
  };
}

/**
 * The empty object type (no endpoints, no constraints) is `Object`, the top type. Checked
 * structurally, because typing is structural: a declared empty object type is Object too.
 */
export function isTopObjectType(t: ObjectType): boolean {
  return t.endpoints.size === 0 && t.provides.size === 0 && t.requires.size === 0;
}

/**
 * The dual of an endpoint type: inputs and outputs swapped, provided and required swapped.
 * It is what the other side of a connection looks like, so τ ∝ dualEndpointType(τ) always.
 */
export function dualEndpointType(t: EndpointType, name = `dual(${t.name})`): EndpointType {
  return { name, in: t.out, out: t.in, provides: t.requires, requires: t.provides };
}
