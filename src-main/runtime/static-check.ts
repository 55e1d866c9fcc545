// Static analysis of a reference: derives its object type without running anything and
// collects every problem with its position (used by `liveobjects check`, by the designer,
// and by dereference before it builds anything).
import { clipLongValues } from '../../src-shared/util/clip';
import type {
  CompositeReference,
  ExternalReference,
  LiveObjectDocument,
  Param,
  ParameterizedReference,
  Reference,
  SourcePosition,
  ValueKind,
} from '../../src-shared/format/document';
import type {
  EndpointType,
  ObjectType,
  PrimitiveValueTypeName,
  ValueType,
} from '../../src-shared/model/types';
import { formatTypeExpr } from '../../src-shared/model/type-expr';
import { formatObjectTypeName, formatValueType } from '../../src-shared/model/describe';
import { objectType } from '../../src-shared/model/build';
import { TypeEnvironment, TypeResolutionError } from '../../src-shared/model';
import type { ObjectCatalogue, ParameterDecl, TemplateEntry } from './catalogue';
import type { ReferenceProblem } from './errors';
import { ReferenceCheckError } from './errors';
import { TemplateArguments } from './template-arguments';
import type { TypeResolver } from './type-checks';
import {
  builtinObjectType,
  createTypeEnvironment,
  matchEndpoints,
  objectSubtype,
  valueSubtype,
} from './type-checks';

/** What a reference denotes statically. */
export type StaticMeaning =
  | { readonly kind: 'object'; readonly type: ObjectType }
  | { readonly kind: 'template'; readonly entry: TemplateEntry }
  /** Retrieved from a folder: an object (or a template) whose type is ⊑ `type`. */
  | { readonly kind: 'external'; readonly type: ObjectType };

export interface StaticContext {
  readonly catalogue: ObjectCatalogue;
  readonly types: TypeResolver;
}

export interface CheckReport {
  /** The derived object type; absent when problems made it unknowable. */
  readonly type?: ObjectType;
  readonly problems: readonly ReferenceProblem[];
}

let folderType: ObjectType | undefined;

/** Folder<Name, Object>: what every `from` must be a subtype of. */
export function anyFolderType(): ObjectType {
  return (folderType ??= builtinObjectType('Folder<Name, Object>'));
}

const VALUE_TYPE_OF_KIND: Record<ValueKind, PrimitiveValueTypeName> = {
  string: 'String',
  int: 'Int',
  double: 'Double',
  bool: 'Bool',
  bytes: 'Bytes',
  address: 'Address',
};

class Analysis {
  readonly problems: ReferenceProblem[] = [];

  constructor(readonly ctx: StaticContext) {}

  problem(text: string, pos: SourcePosition | undefined): void {
    // Ids and names in the messages come from the file: long ones are cut.
    const message = clipLongValues(text);
    this.problems.push(pos ? { message, pos } : { message });
  }

  meaning(ref: Reference): StaticMeaning | undefined {
    switch (ref.kind) {
      case 'primitive': {
        const entry = this.ctx.catalogue.get(ref.id);
        if (!entry) {
          this.problem(`unknown primitive id '${ref.id}'`, ref.pos);
          return undefined;
        }
        return entry.kind === 'object' ? { kind: 'object', type: entry.type } : { kind: 'template', entry };
      }
      case 'composite':
        return this.composite(ref);
      case 'external':
        return this.external(ref);
      case 'parameterized':
        return this.parameterized(ref);
    }
  }

  /** The object type of a reference that must denote an object (not a template). */
  objectType(ref: Reference, role: string): ObjectType | undefined {
    const m = this.meaning(ref);
    if (m?.kind === 'template') {
      this.problem(`${role} is the template '${m.entry.id}'; instantiate it with <parameterized>`, ref.pos);
      return undefined;
    }
    return m?.type;
  }

  resolveType(ref: ExternalReference): ObjectType | undefined {
    try {
      return this.ctx.types.resolveObjectType(ref.as);
    } catch (e) {
      this.problem(`in as="${formatTypeExpr(ref.as)}": ${resolutionMessage(e)}`, ref.pos);
      return undefined;
    }
  }

  external(ref: ExternalReference): StaticMeaning | undefined {
    const from = this.objectType(ref.from, `the <from> of external '${ref.name}'`);
    if (from) {
      const r = objectSubtype(from, anyFolderType());
      if (!r.ok) {
        this.problem(
          `the <from> of external '${ref.name}' must be a folder (⊑ Folder<Name, Object>) but is ${formatObjectTypeName(from)}: ${r.reasons.join('; ')}`,
          ref.from.pos ?? ref.pos,
        );
      }
    }
    const type = this.resolveType(ref);
    return type && { kind: 'external', type };
  }

  composite(ref: CompositeReference): StaticMeaning | undefined {
    const components = new Map<string, ObjectType | undefined>();
    if (ref.components.length === 0) this.problem('a composite needs at least one <component>', ref.pos);
    for (const c of ref.components) {
      if (components.has(c.name)) this.problem(`duplicate component name '${c.name}'`, c.pos);
      components.set(c.name, this.objectType(c.reference, `component '${c.name}'`));
    }
    const used = new Map<string, string>();
    const endpoint = (
      path: { component: string; endpoint: string },
      pos: SourcePosition | undefined,
      use: string,
    ): EndpointType | undefined => {
      const text = `${path.component}.${path.endpoint}`;
      if (!components.has(path.component)) {
        this.problem(
          `${use} names unknown component '${path.component}' (components: ${[...components.keys()].join(', ') || 'none'})`,
          pos,
        );
        return undefined;
      }
      const type = components.get(path.component);
      if (!type) return undefined; // the component's own problem was reported
      const ep = type.endpoints.get(path.endpoint);
      if (!ep) {
        this.problem(
          `${use} names unknown endpoint '${path.endpoint}' of component '${path.component}' (its endpoints: ${[...type.endpoints.keys()].join(', ') || 'none'})`,
          pos,
        );
        return undefined;
      }
      const previous = used.get(text);
      if (previous) {
        this.problem(
          `endpoint ${text} is already used by ${previous}; an endpoint instance is connected at most once`,
          pos,
        );
      } else used.set(text, use);
      return ep;
    };
    for (const c of ref.connections) {
      const use = `connect ${c.a.component}.${c.a.endpoint} ↔ ${c.b.component}.${c.b.endpoint}`;
      const a = endpoint(c.a, c.pos, use);
      const b = endpoint(c.b, c.pos, use);
      if (a && b) {
        const r = matchEndpoints(a, b);
        if (!r.ok)
          this.problem(
            `${use}: endpoint types ${a.name} and ${b.name} do not match: ${r.reasons.join('; ')}`,
            c.pos,
          );
      }
    }
    const exported = new Map<string, EndpointType>();
    for (const x of ref.exports) {
      const ep = endpoint(
        x.endpoint,
        x.pos,
        `export ${x.endpoint.component}.${x.endpoint.endpoint} as '${x.as}'`,
      );
      if (exported.has(x.as)) this.problem(`duplicate exported endpoint name '${x.as}'`, x.pos);
      else if (ep) exported.set(x.as, ep);
    }
    return { kind: 'object', type: compositeType(exported) };
  }

  parameterized(ref: ParameterizedReference): StaticMeaning | undefined {
    const template = this.meaning(ref.template);
    if (!template) {
      for (const p of ref.params) if (p.value.kind === 'reference') this.meaning(p.value.reference);
      return undefined;
    }
    if (template.kind === 'object') {
      this.problem(
        `the <template> of a parameterized reference must be a template, but it is an object of type ${formatObjectTypeName(template.type)}`,
        ref.template.pos ?? ref.pos,
      );
      return undefined;
    }
    if (template.kind === 'external') {
      // Its parameters are only known once retrieved; check what can be checked now.
      for (const p of ref.params) if (p.value.kind === 'reference') this.meaning(p.value.reference);
      return { kind: 'object', type: template.type };
    }
    const ok = this.arguments(template.entry, ref.params, ref.pos);
    if (!ok) return undefined;
    return { kind: 'object', type: templateResultType(template.entry, ref.params, this.ctx.types) };
  }

  /** Checks every argument against the declarations; reports all problems; true when none. */
  arguments(entry: TemplateEntry, params: readonly Param[], pos: SourcePosition | undefined): boolean {
    const before = this.problems.length;
    const decls = new Map(entry.params.map((d) => [d.name, d]));
    const seen = new Set<string>();
    for (const p of params) {
      if (seen.has(p.name)) {
        this.problem(`parameter '${p.name}' of template '${entry.id}' is given twice`, p.pos ?? pos);
        continue;
      }
      seen.add(p.name);
      const decl = decls.get(p.name);
      if (!decl) {
        this.problem(
          `unknown parameter '${p.name}' for template '${entry.id}' (its parameters: ${entry.params.map((d) => d.name).join(', ') || 'none'})`,
          p.pos ?? pos,
        );
        if (p.value.kind === 'reference') this.meaning(p.value.reference);
        continue;
      }
      this.argument(entry, decl, p, pos);
    }
    for (const d of entry.params) {
      if (d.required && !seen.has(d.name)) {
        this.problem(
          `missing required parameter '${d.name}' (${describeParameter(d)}) of template '${entry.id}'`,
          pos,
        );
      }
    }
    return this.problems.length === before;
  }

  argument(entry: TemplateEntry, decl: ParameterDecl, p: Param, pos: SourcePosition | undefined): void {
    const at = p.pos ?? pos;
    const where = `parameter '${p.name}' of template '${entry.id}'`;
    const v = p.value;
    if (v.kind !== decl.kind) {
      this.problem(
        `${where} expects ${describeParameter(decl)} but was given ${describeArgumentKind(v.kind)}`,
        at,
      );
      if (v.kind === 'reference') this.meaning(v.reference);
      return;
    }
    if (decl.kind === 'value' && v.kind === 'value') {
      const actual: ValueType = { kind: 'primitive', name: VALUE_TYPE_OF_KIND[v.value.type] };
      if (!valueAccepted(actual, decl.type)) {
        this.problem(
          `${where} expects a value of type ${formatValueType(decl.type)} but was given a ${formatValueType(actual)} value`,
          at,
        );
      }
    } else if (decl.kind === 'reference' && v.kind === 'reference') {
      const actual = this.objectType(v.reference, where);
      if (actual) {
        const r = objectSubtype(actual, decl.type);
        if (!r.ok) {
          this.problem(
            `${where} expects a reference of type ⊑ ${formatObjectTypeName(decl.type)} but was given ${formatObjectTypeName(actual)}: ${r.reasons.join('; ')}`,
            v.reference.pos ?? at,
          );
        }
      }
    } else if (decl.kind === 'type' && v.kind === 'type') {
      try {
        if (decl.typeKind === 'object') this.ctx.types.resolveObjectType(v.type);
        else if (decl.typeKind === 'endpoint') this.ctx.types.resolveEndpointType(v.type);
        else this.ctx.types.resolveValueType(v.type);
      } catch (e) {
        this.problem(`${where} expects ${describeParameter(decl)}: ${resolutionMessage(e)}`, at);
      }
    }
  }
}

/** The message of a type resolution failure without its own position prefix. */
function resolutionMessage(e: unknown): string {
  if (e instanceof TypeResolutionError) return e.where ? `${e.where}: ${e.detail}` : e.detail;
  return e instanceof Error ? e.message : String(e);
}

function valueAccepted(actual: ValueType, expected: ValueType): boolean {
  // A <value type="string"> is how a Name is written (there is no value kind for Name).
  if (
    actual.kind === 'primitive' &&
    actual.name === 'String' &&
    expected.kind === 'primitive' &&
    expected.name === 'Name'
  ) {
    return true;
  }
  return valueSubtype(actual, expected).ok;
}

function describeArgumentKind(kind: 'value' | 'reference' | 'type'): string {
  return kind === 'value' ? 'a <value>' : kind === 'reference' ? 'a reference' : 'a <type>';
}

/** `a value of type Address`, `a reference to Channel<Bytes>`, `an object type`. */
export function describeParameter(d: ParameterDecl): string {
  switch (d.kind) {
    case 'value':
      return `a value of type ${formatValueType(d.type)}`;
    case 'reference':
      return `a reference of type Reference<${formatObjectTypeName(d.type)}>`;
    case 'type':
      return `${d.typeKind === 'endpoint' ? 'an' : 'a'} ${d.typeKind} type`;
  }
}

/** The object type of a composite: its exported endpoints, no constraints of its own. */
export function compositeType(exported: ReadonlyMap<string, EndpointType>): ObjectType {
  return objectType({ name: '', endpoints: exported });
}

export function templateResultType(
  entry: TemplateEntry,
  params: readonly Param[],
  types: TypeResolver,
): ObjectType {
  if (!entry.typeFor) return entry.type;
  return entry.typeFor(new TemplateArguments(new Map(params.map((p) => [p.name, p.value]))), types);
}

/** Everything static analysis knows about `reference`, with every problem found. */
export function analyseReference(
  reference: Reference,
  ctx: StaticContext,
): { meaning?: StaticMeaning; problems: ReferenceProblem[] } {
  const a = new Analysis(ctx);
  const meaning = a.meaning(reference);
  return meaning ? { meaning, problems: a.problems } : { problems: a.problems };
}

/** Checks template arguments alone (dereference of a template retrieved from a folder). */
export function checkTemplateArguments(
  entry: TemplateEntry,
  params: readonly Param[],
  pos: SourcePosition | undefined,
  ctx: StaticContext,
): ReferenceProblem[] {
  const a = new Analysis(ctx);
  a.arguments(entry, params, pos);
  return a.problems;
}

export interface TypeOfOptions {
  readonly catalogue: ObjectCatalogue;
  readonly types?: TypeResolver;
}

/** The object type of a reference; throws ReferenceCheckError listing every problem. */
export function typeOfReference(reference: Reference, options: TypeOfOptions): ObjectType {
  const a = new Analysis({ catalogue: options.catalogue, types: options.types ?? createTypeEnvironment() });
  const type = a.objectType(reference, 'the reference');
  if (a.problems.length > 0 || !type) throw new ReferenceCheckError(a.problems);
  return type;
}

/** Checks a whole document: its declared types and its reference. */
export function checkDocument(
  document: LiveObjectDocument,
  options: { catalogue: ObjectCatalogue },
): CheckReport {
  const declErrors = TypeEnvironment.check(document.types);
  if (declErrors.length > 0) {
    return {
      problems: declErrors.map((e) =>
        e.pos ? { message: resolutionMessage(e), pos: e.pos } : { message: resolutionMessage(e) },
      ),
    };
  }
  const types = createTypeEnvironment(document.types);
  const a = new Analysis({ catalogue: options.catalogue, types });
  const type = a.objectType(document.reference, 'the reference');
  return type && a.problems.length === 0 ? { type, problems: [] } : { problems: a.problems };
}
