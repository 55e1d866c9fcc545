// The object catalogue: what a `<primitive id="…"/>` can name. Each entry is a built-in object
// or a template, with its object type and (templates) its parameter declarations, so files can
// be type-checked without running anything. Entries without an implementation still type-check
// and fail clearly at dereference; later work registers the implementation under the same id.
import type { Reference } from '../../src-shared/format/document';
import type { ObjectType, ValueType } from '../../src-shared/model/types';
import type { TemplateArguments } from './template-arguments';
import type { Proxy, LocalProxy } from './proxy';
import type { TypeResolver } from './type-checks';

interface ParameterBase {
  readonly name: string;
  readonly required: boolean;
  readonly description?: string;
}

/** A serializable value argument: `<value type="…">`. */
export interface ValueParameter extends ParameterBase {
  readonly kind: 'value';
  readonly type: ValueType;
}

/** A reference argument whose static type must be ⊑ `type`. */
export interface ReferenceParameter extends ParameterBase {
  readonly kind: 'reference';
  readonly type: ObjectType;
}

/** A type argument: `<type>TYPE</type>`, resolved as an object type, endpoint type or value type. */
export interface TypeParameter extends ParameterBase {
  readonly kind: 'type';
  readonly typeKind: 'object' | 'endpoint' | 'value';
}

export type ParameterDecl = ValueParameter | ReferenceParameter | TypeParameter;

export interface DereferenceOptions {
  readonly signal?: AbortSignal;
}

/** What object code may ask of the runtime. */
export interface RuntimeServices {
  readonly catalogue: ObjectCatalogue;
  dereference(reference: Reference, options?: DereferenceOptions): Promise<Proxy>;
}

export interface CreateContext {
  readonly runtime: RuntimeServices;
  readonly signal?: AbortSignal;
  /** The entry's type (for templates: the result type for these arguments). */
  readonly type: ObjectType;
  /** A fresh LocalProxy of `type` labelled with the entry's id, honouring runtime options. */
  proxy(): LocalProxy;
}

export interface InstantiateContext extends CreateContext {
  readonly args: TemplateArguments;
}

export interface ObjectEntry {
  readonly kind: 'object';
  readonly id: string;
  readonly type: ObjectType;
  readonly description: string;
  /** Absent while the object is not implemented in this build. */
  readonly create?: (ctx: CreateContext) => Proxy | Promise<Proxy>;
}

export interface TemplateEntry {
  readonly kind: 'template';
  readonly id: string;
  readonly params: readonly ParameterDecl[];
  /** The type of every instance, unless `typeFor` refines it from the arguments. */
  readonly type: ObjectType;
  /** Result type depending on (already checked) arguments, e.g. on a type parameter. */
  readonly typeFor?: (args: TemplateArguments, types: TypeResolver) => ObjectType;
  readonly description: string;
  readonly instantiate?: (ctx: InstantiateContext) => Proxy | Promise<Proxy>;
}

export type CatalogueEntry = ObjectEntry | TemplateEntry;

const ID = /^(?:[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)+|[0-9a-fA-F]{32})$/;

export class ObjectCatalogue {
  private readonly entries = new Map<string, CatalogueEntry>();

  constructor(entries: Iterable<CatalogueEntry> = []) {
    for (const e of entries) this.register(e);
  }

  /** Adds an entry; replacing an id is allowed only with `replace` (an implementation landing). */
  register(entry: CatalogueEntry, options: { replace?: boolean } = {}): void {
    if (!ID.test(entry.id))
      throw new Error(`invalid object id '${entry.id}': expected a dotted name or 32 hex digits`);
    const key = entry.id.toLowerCase();
    if (this.entries.has(key) && !options.replace)
      throw new Error(`object id '${entry.id}' is already registered`);
    this.entries.set(key, entry);
  }

  get(id: string): CatalogueEntry | undefined {
    return this.entries.get(id.toLowerCase());
  }

  has(id: string): boolean {
    return this.entries.has(id.toLowerCase());
  }

  list(): CatalogueEntry[] {
    return [...this.entries.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
}
