// Resolves type expressions against the built-in catalogue plus a document's (or library's)
// declared types. Declarations are resolved eagerly when the environment is built, so every
// error in <types> surfaces at load time with the position of the element at fault.
import type {
  ConstraintDecl,
  EventDecl,
  LiveObjectDocument,
  SourcePosition,
  TypeDecl,
} from '../format/document';
import { endpointType, objectType } from './build';
import {
  BUILTIN_TYPES,
  builtinSignature,
  checkArity,
  describeBuiltin,
  formatResolvedType,
  instantiateBuiltin,
  kindWord,
  type ResolvedType,
  type TypeKind,
  type TypeParam,
} from './catalogue';
import { describeEndpointType, describeObjectType } from './describe';
import { TypeResolutionError, type Site } from './errors';
import { defaultFormalismRegistry, type FormalismRegistry } from './formalisms/registry';
import { parseTypeExpr, formatTypeExpr, type TypeExpr } from './type-expr';
import type { Constraint, Constraints, EndpointType, EventType, ObjectType, ValueType } from './types';

/** One row of the CLI's `types` listing. */
export interface TypeEntry {
  readonly name: string;
  readonly kind: TypeKind;
  readonly origin: 'builtin' | 'declared';
  /** `Channel<T>`; the bare name for declared types. */
  readonly signature: string;
  readonly params: readonly TypeParam[];
  /** Multi-line human description (events, constraints). */
  readonly description: string;
  readonly pos?: SourcePosition;
}

const at = (
  pos: SourcePosition | undefined,
  fallback: SourcePosition | undefined,
): SourcePosition | undefined => pos ?? fallback;

/** The lazy, memoizing core; TypeEnvironment forces every declaration through it. */
class Resolver {
  readonly decls = new Map<string, TypeDecl>();
  readonly nameErrors: TypeResolutionError[] = [];
  readonly #done = new Map<string, ResolvedType>();
  readonly #stack: string[] = [];

  constructor(
    types: readonly TypeDecl[],
    readonly formalisms: FormalismRegistry,
  ) {
    for (const d of types) {
      const site: Site = {
        pos: d.pos,
        where: `${d.kind === 'endpointtype' ? 'endpoint' : 'object'} type '${d.name}'`,
      };
      const first = this.decls.get(d.name);
      if (BUILTIN_TYPES.has(d.name))
        this.nameErrors.push(
          new TypeResolutionError(
            `'${d.name}' is a built-in type and cannot be redeclared; choose another name`,
            'a name that is not a built-in type',
            site,
          ),
        );
      else if (first)
        this.nameErrors.push(
          new TypeResolutionError(
            `type '${d.name}' is declared twice${first.pos ? ` (first at line ${first.pos.line}, column ${first.pos.column})` : ''}`,
            'a unique type name',
            site,
          ),
        );
      else this.decls.set(d.name, d);
    }
  }

  resolve(expr: TypeExpr, site: Site): ResolvedType {
    const decl = this.decls.get(expr.name);
    if (decl) {
      if (expr.args.length)
        throw new TypeResolutionError(
          `type '${decl.name}' is declared without type parameters, so it takes no type arguments, but ${expr.args.length} ${expr.args.length === 1 ? 'was' : 'were'} given`,
          'no type arguments',
          site,
        );
      return this.declared(decl);
    }
    const def = BUILTIN_TYPES.get(expr.name);
    if (!def) {
      const declared = [...this.decls.keys()];
      throw new TypeResolutionError(
        `unknown type '${expr.name}'; expected a built-in type (${[...BUILTIN_TYPES.keys()].join(', ')})${
          declared.length ? ` or a declared type (${declared.join(', ')})` : ' or a type declared in <types>'
        }`,
        'a known type name',
        site,
      );
    }
    checkArity(def, expr.args.length, site);
    return instantiateBuiltin(
      def,
      expr.args.map((a) => this.resolve(a, site)),
      site,
    );
  }

  expect<K extends TypeKind>(expr: TypeExpr, kind: K, site: Site): Extract<ResolvedType, { kind: K }> {
    const t = this.resolve(expr, site);
    if (t.kind === kind) return t as Extract<ResolvedType, { kind: K }>;
    const shown = formatTypeExpr(expr);
    const hint =
      t.kind === 'object' && kind === 'value'
        ? `; to pass a reference to such an object write Reference<${shown}>`
        : '';
    throw new TypeResolutionError(
      `'${shown}' is ${kindWord(t.kind)}, but ${kindWord(kind)} is expected here${hint}`,
      kindWord(kind),
      site,
    );
  }

  declared(decl: TypeDecl): ResolvedType {
    const done = this.#done.get(decl.name);
    if (done) return done;
    if (this.#stack.includes(decl.name)) {
      const cycle = [...this.#stack.slice(this.#stack.indexOf(decl.name)), decl.name].join(' → ');
      throw new TypeResolutionError(
        `type '${decl.name}' is recursive (${cycle}); recursive type declarations are not supported`,
        'a type that does not refer to itself',
        { pos: decl.pos },
      );
    }
    this.#stack.push(decl.name);
    try {
      const t: ResolvedType =
        decl.kind === 'endpointtype'
          ? { kind: 'endpoint', type: this.#endpoint(decl) }
          : { kind: 'object', type: this.#object(decl) };
      this.#done.set(decl.name, t);
      return t;
    } finally {
      this.#stack.pop();
    }
  }

  #endpoint(decl: Extract<TypeDecl, { kind: 'endpointtype' }>): EndpointType {
    const where = `endpoint type '${decl.name}'`;
    const events = (list: readonly EventDecl[], dir: 'input' | 'output'): EventType[] => {
      const seen = new Set<string>();
      return list.map((e) => {
        const site: Site = { pos: at(e.pos, decl.pos), where: `${where}, ${dir} event '${e.event}'` };
        if (seen.has(e.event))
          throw new TypeResolutionError(
            `${dir} event '${e.event}' is declared twice`,
            'unique event names',
            site,
          );
        seen.add(e.event);
        return { name: e.event, params: e.types.map((t) => this.expect(t, 'value', site).type) };
      });
    };
    return endpointType({
      name: decl.name,
      in: events(decl.in, 'input'),
      out: events(decl.out, 'output'),
      provides: this.#constraints(decl.provides, 'provides', where, decl.pos),
      requires: this.#constraints(decl.requires, 'requires', where, decl.pos),
    });
  }

  #object(decl: Extract<TypeDecl, { kind: 'objecttype' }>): ObjectType {
    const where = `object type '${decl.name}'`;
    const endpoints = new Map<string, EndpointType>();
    for (const ep of decl.endpoints) {
      const site: Site = { pos: at(ep.pos, decl.pos), where: `${where}, endpoint '${ep.name}'` };
      if (endpoints.has(ep.name))
        throw new TypeResolutionError(
          `endpoint '${ep.name}' is declared twice`,
          'unique endpoint names',
          site,
        );
      endpoints.set(ep.name, this.expect(ep.type, 'endpoint', site).type);
    }
    return objectType({
      name: decl.name,
      endpoints,
      provides: this.#constraints(decl.provides, 'provides', where, decl.pos),
      requires: this.#constraints(decl.requires, 'requires', where, decl.pos),
    });
  }

  #constraints(
    list: readonly ConstraintDecl[],
    verb: 'provides' | 'requires',
    where: string,
    declPos: SourcePosition | undefined,
  ): Constraints {
    const map = new Map<string, Constraint>();
    for (const c of list) {
      const site: Site = { pos: at(c.pos, declPos), where: `${where}, <${verb} formalism="${c.formalism}">` };
      if (map.has(c.formalism))
        throw new TypeResolutionError(
          `a second <${verb}> in formalism '${c.formalism}'; write one constraint per formalism`,
          'at most one constraint per formalism',
          site,
        );
      if (!this.formalisms.has(c.formalism))
        throw new TypeResolutionError(
          `unknown constraint formalism '${c.formalism}'; known formalisms: ${this.formalisms.ids().join(', ') || 'none'}`,
          'a registered formalism id',
          site,
        );
      try {
        map.set(c.formalism, this.formalisms.parseConstraint(c.formalism, c.text, { where }));
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        throw new TypeResolutionError(message, `constraint text of formalism ${c.formalism}`, site);
      }
    }
    return map;
  }
}

const toExpr = (expr: TypeExpr | string): TypeExpr => (typeof expr === 'string' ? parseTypeExpr(expr) : expr);

export class TypeEnvironment {
  readonly #r: Resolver;

  /** Throws the first TypeResolutionError among `types`; use `TypeEnvironment.check` to get them all. */
  constructor(types: readonly TypeDecl[] = [], formalisms: FormalismRegistry = defaultFormalismRegistry) {
    this.#r = new Resolver(types, formalisms);
    if (this.#r.nameErrors[0]) throw this.#r.nameErrors[0];
    for (const d of this.#r.decls.values()) this.#r.declared(d);
  }

  static fromDeclarations(types: readonly TypeDecl[] = [], formalisms?: FormalismRegistry): TypeEnvironment {
    return new TypeEnvironment(types, formalisms);
  }

  static fromDocument(
    doc: Pick<LiveObjectDocument, 'types'>,
    formalisms?: FormalismRegistry,
  ): TypeEnvironment {
    return new TypeEnvironment(doc.types, formalisms);
  }

  /** Every error in `types` (at most one per declaration), without throwing. */
  static check(
    types: readonly TypeDecl[],
    formalisms: FormalismRegistry = defaultFormalismRegistry,
  ): TypeResolutionError[] {
    const r = new Resolver(types, formalisms);
    const errors = [...r.nameErrors];
    for (const d of r.decls.values()) {
      try {
        r.declared(d);
      } catch (e) {
        if (!(e instanceof TypeResolutionError)) throw e;
        if (!errors.some((x) => x.message === e.message)) errors.push(e);
      }
    }
    return errors;
  }

  get formalisms(): FormalismRegistry {
    return this.#r.formalisms;
  }

  /** Any kind of type. A string is parsed first (TypeExprSyntaxError on bad syntax). */
  resolveAny(expr: TypeExpr | string, pos?: SourcePosition): ResolvedType {
    return this.#r.resolve(toExpr(expr), { pos });
  }

  resolveObjectType(expr: TypeExpr | string, pos?: SourcePosition): ObjectType {
    return this.#r.expect(toExpr(expr), 'object', { pos }).type;
  }

  resolveEndpointType(expr: TypeExpr | string, pos?: SourcePosition): EndpointType {
    return this.#r.expect(toExpr(expr), 'endpoint', { pos }).type;
  }

  resolveValueType(expr: TypeExpr | string, pos?: SourcePosition): ValueType {
    return this.#r.expect(toExpr(expr), 'value', { pos }).type;
  }

  /** True when `name` is a built-in or declared type name. */
  has(name: string): boolean {
    return this.#r.decls.has(name) || BUILTIN_TYPES.has(name);
  }

  /** Built-ins (in catalogue order) then declared types (in declaration order). */
  entries(): TypeEntry[] {
    const builtins = [...BUILTIN_TYPES.values()].map((def): TypeEntry => ({
      name: def.name,
      kind: def.kind,
      origin: 'builtin',
      signature: builtinSignature(def),
      params: def.params,
      description: describeBuiltin(def),
    }));
    const declared = [...this.#r.decls.values()].map((d): TypeEntry => {
      const t = this.#r.declared(d);
      const description =
        t.kind === 'endpoint'
          ? describeEndpointType(t.type)
          : t.kind === 'object'
            ? describeObjectType(t.type)
            : formatResolvedType(t);
      return {
        name: d.name,
        kind: t.kind,
        origin: 'declared',
        signature: d.name,
        params: [],
        description,
        pos: d.pos,
      };
    });
    return [...builtins, ...declared];
  }
}
