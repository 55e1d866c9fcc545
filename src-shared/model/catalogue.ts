// The built-in types (liveobject-format.md, "Built-in types"): generic definitions written as
// data, so one instantiation routine builds every type and the same data prints the docs
// and the CLI's `types` listing with parameter names.
import { endpointType, objectType, primitive, PRIMITIVE_VALUE_TYPE_NAMES, reference } from './build';
import { formatObjectTypeName, formatValueType } from './describe';
import { TypeResolutionError, type Site } from './errors';
import type { EndpointType, EventType, ObjectType, PrimitiveValueTypeName, ValueType } from './types';

/** A resolved type of any kind. */
export type ResolvedType =
  | { readonly kind: 'value'; readonly type: ValueType }
  | { readonly kind: 'object'; readonly type: ObjectType }
  | { readonly kind: 'endpoint'; readonly type: EndpointType };

export type TypeKind = ResolvedType['kind'];

export interface TypeParam {
  readonly name: string;
  /** What an argument must be: a value type (event payloads) or an object type (references). */
  readonly kind: 'value' | 'object';
  readonly description: string;
}

/** An event parameter slot: a fixed primitive, a value parameter, or Reference<object parameter>. */
export type Slot = PrimitiveValueTypeName | { readonly param: string } | { readonly referenceTo: string };

export interface EventTemplate {
  readonly name: string;
  readonly params: readonly Slot[];
  readonly description: string;
}

export interface EndpointTemplate {
  readonly name: string;
  readonly description: string;
  readonly in: readonly EventTemplate[];
  readonly out: readonly EventTemplate[];
}

export interface BuiltinObjectTypeDef {
  readonly kind: 'object';
  readonly name: string;
  readonly params: readonly TypeParam[];
  readonly description: string;
  readonly endpoints: readonly EndpointTemplate[];
}

export interface BuiltinValueTypeDef {
  readonly kind: 'value';
  readonly name: string;
  readonly params: readonly TypeParam[];
  readonly description: string;
}

export type BuiltinTypeDef = BuiltinObjectTypeDef | BuiltinValueTypeDef;

const ev = (name: string, params: readonly Slot[], description: string): EventTemplate => ({
  name,
  params,
  description,
});
const T = { param: 'T' } as const;
const C = { param: 'C' } as const;
const N = { param: 'N' } as const;

const PRIMITIVE_DESCRIPTIONS: Readonly<Record<PrimitiveValueTypeName, string>> = {
  String: 'Unicode text',
  Int: 'a signed integer',
  Double: 'a 64-bit floating-point number',
  Bool: 'true or false',
  Bytes: 'an opaque byte string (serialized state, messages)',
  Address: 'a network address host:port',
  Name: 'a name within a folder (registry entry, group name)',
};

/** A 2D or 3D user interface endpoint: the object pushes view state, the view sends back user intent. */
const uiEndpoint = (name: string, dims: string): EndpointTemplate => ({
  name,
  description: `the ${dims} user interface: the object's replicated logic drives a view through it`,
  in: [ev('act', ['Bytes'], 'user intent from the view (an encoded action: edit, move, click…)')],
  out: [
    ev('show', ['Bytes'], 'the state the view should display (an encoded view model), sent on every change'),
  ],
});

const OBJECT_DEFS: readonly BuiltinObjectTypeDef[] = [
  {
    kind: 'object',
    name: 'Object',
    params: [],
    description: 'no endpoints; the top type: every object type is a subtype of Object',
    endpoints: [],
  },
  {
    kind: 'object',
    name: 'Channel',
    params: [{ name: 'T', kind: 'value', description: 'the message type' }],
    description:
      'a multicast channel; states no guarantees, so every channel implementation fits (a channel that provides guarantees is still a subtype)',
    endpoints: [
      {
        name: 'channel',
        description: 'the client side connects here',
        in: [ev('send', [T], 'multicast a message to the group')],
        out: [ev('receive', [T], 'a message delivered by the group (including own messages)')],
      },
    ],
  },
  {
    kind: 'object',
    name: 'CheckpointedChannel',
    params: [
      { name: 'T', kind: 'value', description: 'the update message type' },
      { name: 'C', kind: 'value', description: 'the checkpoint type' },
    ],
    description:
      'a channel whose late joiners are initialized from a checkpoint taken from an existing member (the pattern of every shared UI object)',
    endpoints: [
      {
        name: 'channel',
        description: 'the replica connects here',
        in: [
          ev('send', [T], 'multicast an update'),
          ev('checkpoint', [C], "the replica's reply to requestCheckpoint: its state at this point"),
        ],
        out: [
          ev('receive', [T], 'an update, in delivery order, after initialize'),
          ev(
            'initialize',
            [C],
            'the checkpoint to start from: at most once, before any receive (not sent to the first member)',
          ),
          ev(
            'requestCheckpoint',
            [],
            'asks the replica for a checkpoint to hand to a joiner; reply with checkpoint',
          ),
        ],
      },
    ],
  },
  {
    kind: 'object',
    name: 'Membership',
    params: [],
    description: 'a membership service',
    endpoints: [
      {
        name: 'membership',
        description: 'membership views',
        in: [],
        out: [ev('view', ['Bytes'], 'a new membership view (encoded)')],
      },
    ],
  },
  {
    kind: 'object',
    name: 'Folder',
    params: [
      { name: 'N', kind: 'value', description: 'the name type' },
      { name: 'O', kind: 'object', description: 'the type of the objects it holds' },
    ],
    description: 'a folder of object references by name (registries, libraries, platforms)',
    endpoints: [
      {
        name: 'folder',
        description: 'lookups',
        in: [ev('get', [N], 'look up a name')],
        out: [
          ev('item', [N, { referenceTo: 'O' }], 'the reference stored under the name'),
          ev('missing', [N], 'nothing is stored under the name'),
        ],
      },
    ],
  },
  {
    kind: 'object',
    name: 'UI',
    params: [],
    description: 'an object with a 2D user interface (desktop, note, image…)',
    endpoints: [uiEndpoint('ui', '2D')],
  },
  {
    kind: 'object',
    name: 'UI3D',
    params: [],
    description: 'an object with a 3D user interface, placeable in a 3D space (airplane, building, map…)',
    endpoints: [uiEndpoint('ui3d', '3D')],
  },
  {
    kind: 'object',
    name: 'CoordinateStream',
    params: [],
    description: 'a stream of 3D coordinates (e.g. to move an airplane)',
    endpoints: [
      {
        name: 'stream',
        description: 'positions',
        in: [],
        out: [ev('position', ['Bytes'], 'a new position (encoded coordinates)')],
      },
    ],
  },
  {
    kind: 'object',
    name: 'Texture',
    params: [],
    description: 'an image usable as a texture',
    endpoints: [
      {
        name: 'texture',
        description: 'images',
        in: [],
        out: [ev('image', ['Bytes'], 'the current image (encoded PNG/JPEG)')],
      },
    ],
  },
];

const VALUE_DEFS: readonly BuiltinValueTypeDef[] = [
  ...PRIMITIVE_VALUE_TYPE_NAMES.map((name): BuiltinValueTypeDef => ({
    kind: 'value',
    name,
    params: [],
    description: PRIMITIVE_DESCRIPTIONS[name],
  })),
  {
    kind: 'value',
    name: 'Reference',
    params: [{ name: 'T', kind: 'object', description: 'the object type referred to' }],
    description: 'a serializable reference to an object whose type is a subtype of T',
  },
];

/** Every built-in type by name. */
export const BUILTIN_TYPES: ReadonlyMap<string, BuiltinTypeDef> = new Map(
  [...VALUE_DEFS, ...OBJECT_DEFS].map((d) => [d.name, d]),
);

/** `Channel<T>`. */
export function builtinSignature(def: BuiltinTypeDef): string {
  return def.params.length ? `${def.name}<${def.params.map((p) => p.name).join(', ')}>` : def.name;
}

const KIND_WORDS: Readonly<Record<TypeKind, string>> = {
  value: 'a value type',
  object: 'an object type',
  endpoint: 'an endpoint type',
};

export function kindWord(kind: TypeKind): string {
  return KIND_WORDS[kind];
}

export function formatResolvedType(t: ResolvedType): string {
  if (t.kind === 'value') return formatValueType(t.type);
  return t.kind === 'object' ? formatObjectTypeName(t.type) : t.type.name;
}

/** Checks arity against `def`; throws TypeResolutionError naming the signature. */
export function checkArity(def: BuiltinTypeDef, count: number, site: Site = {}): void {
  if (count === def.params.length) return;
  const takes =
    def.params.length === 0
      ? 'takes no type arguments'
      : `takes ${def.params.length} type argument${def.params.length > 1 ? 's' : ''} (${builtinSignature(def)})`;
  throw new TypeResolutionError(
    `type '${def.name}' ${takes}, but ${count} ${count === 1 ? 'was' : 'were'} given`,
    `${def.params.length} type argument(s)`,
    site,
  );
}

/** Builds `def<args>`; wrong arity or a wrong kind of argument throws TypeResolutionError. */
export function instantiateBuiltin(
  def: BuiltinTypeDef,
  args: readonly ResolvedType[],
  site: Site = {},
): ResolvedType {
  checkArity(def, args.length, site);
  const values = new Map<string, ValueType>();
  const objects = new Map<string, ObjectType>();
  def.params.forEach((p, i) => {
    const arg = args[i]!;
    if (arg.kind === 'value' && p.kind === 'value') values.set(p.name, arg.type);
    else if (arg.kind === 'object' && p.kind === 'object') objects.set(p.name, arg.type);
    else {
      const shown = formatResolvedType(arg);
      const hint =
        arg.kind === 'object' && p.kind === 'value' ? `; to pass a reference write Reference<${shown}>` : '';
      throw new TypeResolutionError(
        `type argument ${p.name} of ${builtinSignature(def)} must be ${kindWord(p.kind)}, but '${shown}' is ${kindWord(arg.kind)}${hint}`,
        kindWord(p.kind),
        site,
      );
    }
  });
  const name = args.length ? `${def.name}<${args.map(formatResolvedType).join(', ')}>` : def.name;
  if (def.kind === 'value') {
    const target = objects.get('T');
    return {
      kind: 'value',
      type: target ? reference(target) : primitive(def.name as PrimitiveValueTypeName),
    };
  }
  const slot = (s: Slot): ValueType =>
    typeof s === 'string'
      ? primitive(s)
      : 'param' in s
        ? values.get(s.param)!
        : reference(objects.get(s.referenceTo)!);
  const events = (list: readonly EventTemplate[]): EventType[] =>
    list.map((e) => ({ name: e.name, params: e.params.map(slot) }));
  const endpoints = def.endpoints.map(
    (ep) =>
      [
        ep.name,
        endpointType({ name: `${name}.${ep.name}`, in: events(ep.in), out: events(ep.out) }),
      ] as const,
  );
  return { kind: 'object', type: objectType({ name, endpoints }) };
}

function formatSlot(s: Slot): string {
  return typeof s === 'string' ? s : 'param' in s ? s.param : `Reference<${s.referenceTo}>`;
}

/** Multi-line text of a generic built-in, with its parameter names (for `liveobjects types`). */
export function describeBuiltin(def: BuiltinTypeDef): string {
  const lines = [
    `${def.kind === 'value' ? 'value' : 'object'} type ${builtinSignature(def)}: ${def.description}`,
  ];
  for (const p of def.params) lines.push(`  ${p.name}: ${kindWord(p.kind)}, ${p.description}`);
  if (def.kind === 'object') {
    for (const ep of def.endpoints) {
      lines.push(`  endpoint ${ep.name}: ${ep.description}`);
      const sig = (e: EventTemplate): string => `${e.name}(${e.params.map(formatSlot).join(', ')})`;
      for (const e of ep.in) lines.push(`    in  ${sig(e)}: ${e.description}`);
      for (const e of ep.out) lines.push(`    out ${sig(e)}: ${e.description}`);
    }
  }
  return lines.join('\n');
}

function build(name: string, ...args: ResolvedType[]): ResolvedType {
  return instantiateBuiltin(BUILTIN_TYPES.get(name)!, args);
}

function buildObject(name: string, ...args: ResolvedType[]): ObjectType {
  const t = build(name, ...args);
  if (t.kind !== 'object') throw new Error(`${name} is not an object type`);
  return t.type;
}

const v = (type: ValueType): ResolvedType => ({ kind: 'value', type });
const o = (type: ObjectType): ResolvedType => ({ kind: 'object', type });

// Ready-made instances for code (runtime objects, tests).
export const STRING = primitive('String');
export const INT = primitive('Int');
export const DOUBLE = primitive('Double');
export const BOOL = primitive('Bool');
export const BYTES = primitive('Bytes');
export const ADDRESS = primitive('Address');
export const NAME = primitive('Name');

export const OBJECT: ObjectType = buildObject('Object');
export const MEMBERSHIP: ObjectType = buildObject('Membership');
export const UI: ObjectType = buildObject('UI');
export const UI3D: ObjectType = buildObject('UI3D');
export const COORDINATE_STREAM: ObjectType = buildObject('CoordinateStream');
export const TEXTURE: ObjectType = buildObject('Texture');

export function channelType(t: ValueType): ObjectType {
  return buildObject('Channel', v(t));
}

export function checkpointedChannelType(t: ValueType, c: ValueType): ObjectType {
  return buildObject('CheckpointedChannel', v(t), v(c));
}

export function folderType(n: ValueType, item: ObjectType): ObjectType {
  return buildObject('Folder', v(n), o(item));
}
