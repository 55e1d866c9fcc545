// The runtime: turns references into running proxies (live-objects-model.md, "Construction
// patterns"). Before building anything it checks the whole reference statically, so a file
// with several mistakes reports all of them at once; the dynamic checks (connect ∝, type of
// a retrieved reference ⊑ its `as`) then guard what only running can reveal.
import type {
  CompositeReference,
  ExternalReference,
  ParameterizedReference,
  PrimitiveReference,
  Reference,
  TypeDecl,
} from '../../src-shared/format/document';
import { formatObjectTypeName } from '../../src-shared/model/describe';
import { TypeCheckError } from '../../src-shared/model/types';
import { referencesEqual } from '../../src-shared/format';
import type { CatalogueEntry, ObjectCatalogue, RuntimeServices, TemplateEntry } from './catalogue';
import { CompositeProxy } from './composite-proxy';
import type { Connection, ExternalEndpoint } from './endpoint';
import { renameEndpoint } from './endpoint';
import { DereferenceError, ReferenceCheckError } from './errors';
import { requestItem } from './folder';
import type { Proxy } from './proxy';
import { LocalProxy } from './proxy';
import type { CheckReport, StaticContext } from './static-check';
import {
  analyseReference,
  anyFolderType,
  checkDocument,
  checkTemplateArguments,
  compositeType,
  templateResultType,
  typeOfReference,
} from './static-check';
import { TemplateArguments } from './template-arguments';
import type { TypeResolver } from './type-checks';
import { builtinTypes, createTypeEnvironment, objectSubtype } from './type-checks';
import type { LiveObjectDocument } from '../../src-shared/format/document';
import type { ObjectType } from '../../src-shared/model/types';

export const DEFAULT_RESOLVE_TIMEOUT_MS = 10_000;
export const MAX_EXTERNAL_DEPTH = 16;

export interface RuntimeOptions {
  readonly catalogue: ObjectCatalogue;
  /** How long one external resolution may wait for its folder's reply. */
  readonly resolveTimeoutMs?: number;
  /** Check events at send time (dev); default: on unless NODE_ENV=production. */
  readonly checkEvents?: boolean;
}

export interface DereferenceRequest {
  /** Declared types in scope: a document's `<types>` or a ready environment. */
  readonly types?: TypeResolver | readonly TypeDecl[];
  readonly signal?: AbortSignal;
}

interface State {
  readonly types: TypeResolver;
  readonly signal?: AbortSignal;
  /** External references being resolved, outermost first (cycle and depth detection). */
  readonly chain: readonly ExternalReference[];
}

function isResolver(t: TypeResolver | readonly TypeDecl[]): t is TypeResolver {
  return !Array.isArray(t);
}

function at(e: unknown, ref: Reference, prefix = ''): DereferenceError {
  if (e instanceof DereferenceError && e.pos) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new DereferenceError(`${prefix}${message}`, ref.pos, { cause: e });
}

export class Runtime implements RuntimeServices {
  readonly catalogue: ObjectCatalogue;
  readonly resolveTimeoutMs: number;
  readonly checkEvents: boolean | undefined;

  constructor(options: RuntimeOptions) {
    this.catalogue = options.catalogue;
    this.resolveTimeoutMs = options.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS;
    this.checkEvents = options.checkEvents;
  }

  /** Static: the object type of `reference`; throws ReferenceCheckError with every problem. */
  typeOf(reference: Reference, types?: TypeResolver | readonly TypeDecl[]): ObjectType {
    return typeOfReference(reference, { catalogue: this.catalogue, types: this.resolver(types) });
  }

  /** Static: checks a whole document (declared types + reference) without running anything. */
  check(document: LiveObjectDocument): CheckReport {
    return checkDocument(document, { catalogue: this.catalogue });
  }

  /** Dereferences a document's reference with its declared types in scope. */
  open(document: LiveObjectDocument, options: { signal?: AbortSignal } = {}): Promise<Proxy> {
    return this.dereference(document.reference, { ...options, types: document.types });
  }

  /** Builds a running proxy of `reference`. Endpoints start disconnected. */
  async dereference(reference: Reference, request: DereferenceRequest = {}): Promise<Proxy> {
    const types = this.resolver(request.types);
    const state: State = request.signal ? { types, signal: request.signal, chain: [] } : { types, chain: [] };
    return this.build(reference, state);
  }

  private resolver(types: TypeResolver | readonly TypeDecl[] | undefined): TypeResolver {
    if (types === undefined) return builtinTypes();
    return isResolver(types) ? types : createTypeEnvironment(types);
  }

  private staticContext(state: State): StaticContext {
    return { catalogue: this.catalogue, types: state.types };
  }

  private checkStatically(reference: Reference, state: State): void {
    const { problems } = analyseReference(reference, this.staticContext(state));
    if (problems.length > 0) throw new ReferenceCheckError(problems);
  }

  private async build(reference: Reference, state: State): Promise<Proxy> {
    this.checkStatically(reference, state);
    return this.construct(reference, state);
  }

  private construct(ref: Reference, state: State): Promise<Proxy> {
    if (state.signal?.aborted) throw at(state.signal.reason ?? new Error('dereference aborted'), ref);
    switch (ref.kind) {
      case 'primitive':
        return this.primitive(ref, state.signal);
      case 'composite':
        return this.composite(ref, state);
      case 'external':
        return this.external(ref, state);
      case 'parameterized':
        return this.parameterized(ref, state);
    }
  }

  private entry(ref: PrimitiveReference): CatalogueEntry {
    const entry = this.catalogue.get(ref.id);
    if (!entry) throw new DereferenceError(`unknown primitive id '${ref.id}'`, ref.pos);
    return entry;
  }

  private contextFor(entry: CatalogueEntry, type: ObjectType, signal: AbortSignal | undefined) {
    const checkEvents = this.checkEvents;
    return {
      runtime: this as RuntimeServices,
      type,
      ...(signal ? { signal } : {}),
      proxy: () => new LocalProxy(entry.id, type, checkEvents === undefined ? {} : { checkEvents }),
    };
  }

  private async primitive(ref: PrimitiveReference, signal?: AbortSignal): Promise<Proxy> {
    const entry = this.entry(ref);
    if (entry.kind === 'template') {
      throw new DereferenceError(`'${ref.id}' is a template; instantiate it with <parameterized>`, ref.pos);
    }
    if (!entry.create) throw new DereferenceError(notAvailable(entry), ref.pos);
    try {
      return await entry.create(this.contextFor(entry, entry.type, signal));
    } catch (e) {
      throw at(e, ref, `creating '${entry.id}': `);
    }
  }

  private async composite(ref: CompositeReference, state: State): Promise<Proxy> {
    const components = new Map<string, Proxy>();
    const connections: Connection[] = [];
    try {
      for (const c of ref.components) {
        components.set(c.name, await this.construct(c.reference, state));
      }
      const endpoint = (
        path: { component: string; endpoint: string },
        pos: Reference['pos'],
      ): ExternalEndpoint => {
        const proxy = components.get(path.component);
        if (!proxy) throw new DereferenceError(`unknown component '${path.component}'`, pos);
        try {
          return proxy.endpoint(path.endpoint);
        } catch (e) {
          throw new DereferenceError(`component '${path.component}': ${(e as Error).message}`, pos);
        }
      };
      for (const c of ref.connections) {
        const a = endpoint(c.a, c.pos);
        const b = endpoint(c.b, c.pos);
        try {
          connections.push(a.connect(b));
        } catch (e) {
          const reasons = e instanceof TypeCheckError ? e.reasons : [];
          throw new DereferenceError(
            `connect ${c.a.component}.${c.a.endpoint} ↔ ${c.b.component}.${c.b.endpoint}: ${e instanceof TypeCheckError ? `${e.summary}: ${reasons.join('; ')}` : (e as Error).message}`,
            c.pos ?? ref.pos,
            { cause: e },
          );
        }
      }
      const exported = new Map<string, ExternalEndpoint>();
      for (const x of ref.exports) exported.set(x.as, renameEndpoint(endpoint(x.endpoint, x.pos), x.as));
      const type = compositeType(new Map([...exported].map(([name, e]) => [name, e.type])));
      return new CompositeProxy(type, components, connections, exported);
    } catch (e) {
      for (const c of connections) c.dispose();
      for (const p of [...components.values()].reverse()) p.dispose();
      throw at(e, ref);
    }
  }

  /** Resolves an external reference to the reference its folder holds, checked ⊑ `as`. */
  private async retrieve(
    ref: ExternalReference,
    state: State,
  ): Promise<{ reference: Reference; state: State }> {
    const cycle = state.chain.findIndex((r) => r.name === ref.name && referencesEqual(r, ref));
    if (cycle >= 0) {
      const names = [...state.chain.slice(cycle).map((r) => r.name), ref.name]
        .map((n) => `'${n}'`)
        .join(' → ');
      throw new DereferenceError(`external resolution cycle: ${names}`, ref.pos ?? state.chain[cycle]?.pos);
    }
    if (state.chain.length >= MAX_EXTERNAL_DEPTH) {
      throw new DereferenceError(
        `external '${ref.name}': resolution chain deeper than ${MAX_EXTERNAL_DEPTH} (${state.chain.map((r) => r.name).join(' → ')} → ${ref.name})`,
        ref.pos ?? state.chain[0]?.pos,
      );
    }
    const inner: State = { ...state, chain: [...state.chain, ref] };
    const folder = await this.construct(ref.from, inner);
    let retrieved: Reference;
    try {
      const r = objectSubtype(folder.type, anyFolderType());
      if (!r.ok) {
        throw new TypeCheckError(
          `the <from> of external '${ref.name}' is not a folder (⊑ Folder<Name, Object>)`,
          r.reasons,
        );
      }
      retrieved = await requestItem(folder, ref.name, {
        timeoutMs: this.resolveTimeoutMs,
        ...(state.signal ? { signal: state.signal } : {}),
        ...(this.checkEvents === undefined ? {} : { checkEvents: this.checkEvents }),
      });
    } catch (e) {
      throw at(e, ref, `external '${ref.name}': `);
    } finally {
      folder.dispose();
    }
    // What a folder holds is typed in the built-in environment: references carry no <types>.
    const itemState: State = { ...inner, types: builtinTypes() };
    const { meaning, problems } = analyseReference(retrieved, this.staticContext(itemState));
    if (problems.length > 0 || !meaning) {
      throw new DereferenceError(
        `external '${ref.name}': the retrieved reference is invalid: ${problems.map((p) => p.message).join('; ')}`,
        ref.pos,
      );
    }
    const want = state.types.resolveObjectType(ref.as);
    const have = meaning.kind === 'template' ? meaning.entry.type : meaning.type;
    const sub = objectSubtype(have, want);
    if (!sub.ok) {
      throw new DereferenceError(
        `external '${ref.name}': the retrieved ${meaning.kind === 'template' ? 'template' : 'reference'} has type ${formatObjectTypeName(have)}, which is not ⊑ ${formatObjectTypeName(want)}: ${sub.reasons.join('; ')}`,
        ref.pos,
      );
    }
    return { reference: retrieved, state: itemState };
  }

  private async external(ref: ExternalReference, state: State): Promise<Proxy> {
    const { reference, state: inner } = await this.retrieve(ref, state);
    return this.construct(reference, inner);
  }

  /** The template entry a `<template>` reference names, resolving externals on the way. */
  private async template(ref: Reference, state: State): Promise<TemplateEntry> {
    if (ref.kind === 'primitive') {
      const entry = this.entry(ref);
      if (entry.kind !== 'template') {
        throw new DereferenceError(`'${ref.id}' is an object, not a template`, ref.pos);
      }
      return entry;
    }
    if (ref.kind === 'external') {
      const { reference, state: inner } = await this.retrieve(ref, state);
      return this.template(reference, inner);
    }
    throw new DereferenceError(`a ${ref.kind} reference is not a template`, ref.pos);
  }

  private async parameterized(ref: ParameterizedReference, state: State): Promise<Proxy> {
    const entry = await this.template(ref.template, state);
    if (ref.template.kind !== 'primitive') {
      // Retrieved templates were not known to the static check: check the arguments now.
      const problems = checkTemplateArguments(entry, ref.params, ref.pos, this.staticContext(state));
      if (problems.length > 0) throw new ReferenceCheckError(problems);
    }
    if (!entry.instantiate) throw new DereferenceError(notAvailable(entry), ref.pos);
    const type = templateResultType(entry, ref.params, state.types);
    const args = new TemplateArguments(new Map(ref.params.map((p) => [p.name, p.value])));
    try {
      return await entry.instantiate({ ...this.contextFor(entry, type, state.signal), args });
    } catch (e) {
      throw at(e, ref, `instantiating '${entry.id}': `);
    }
  }
}

function notAvailable(entry: CatalogueEntry): string {
  return `'${entry.id}' is not available in this build yet (its type is known, so files using it check, but it cannot run)`;
}
