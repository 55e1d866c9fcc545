// The contract between the runtime and a library module (docs/library-api.md). A library is
// one self-contained ES module whose default export is a LibraryDefinition, or a function
// that receives a LibraryApi and returns one (so the module needs no imports from us).
// Types are written as type expressions (`Channel<String>`) over the built-in types and the
// library's own `types`.
import type { Formalism } from '../../src-shared/model/types';
import type { CreateContext, InstantiateContext } from '../runtime/catalogue';
import type { Proxy } from '../runtime/proxy';

/** Constraint texts by formalism id, e.g. `{ 'liveobjects.guarantees': 'reliable fifo' }`. */
export type LibraryConstraints = Readonly<Record<string, string>>;

/** Events by name; the value is the event's value types (`'String'`, or `['Name', 'Bytes']`). */
export type LibraryEvents = Readonly<Record<string, string | readonly string[]>>;

export interface LibraryEndpointType {
  readonly kind: 'endpoint';
  readonly in?: LibraryEvents;
  readonly out?: LibraryEvents;
  readonly provides?: LibraryConstraints;
  readonly requires?: LibraryConstraints;
}

export interface LibraryObjectType {
  readonly kind: 'object';
  /** Endpoint name → endpoint type expression. */
  readonly endpoints: Readonly<Record<string, string>>;
  readonly provides?: LibraryConstraints;
  readonly requires?: LibraryConstraints;
}

export type LibraryParameter =
  | {
      readonly kind: 'value';
      readonly type: string;
      readonly optional?: boolean;
      readonly description?: string;
    }
  | {
      readonly kind: 'reference';
      readonly type: string;
      readonly optional?: boolean;
      readonly description?: string;
    }
  | {
      readonly kind: 'type';
      readonly typeKind: 'object' | 'endpoint' | 'value';
      readonly optional?: boolean;
      readonly description?: string;
    };

export interface LibraryObject {
  /** Object type expression, e.g. `Channel<String>`. */
  readonly type: string;
  readonly description?: string;
  /** Builds a proxy; `ctx.proxy()` gives a LocalProxy of `type` whose portals you drive. */
  create(ctx: CreateContext): Proxy | Promise<Proxy>;
}

export interface LibraryTemplate {
  /** Result type expression. */
  readonly type: string;
  readonly params?: Readonly<Record<string, LibraryParameter>>;
  readonly description?: string;
  instantiate(ctx: InstantiateContext): Proxy | Promise<Proxy>;
}

export interface LibraryDefinition {
  readonly types?: Readonly<Record<string, LibraryEndpointType | LibraryObjectType>>;
  readonly objects?: Readonly<Record<string, LibraryObject>>;
  readonly templates?: Readonly<Record<string, LibraryTemplate>>;
  /** Not supported: library code runs in its own process, and a formalism would run in the
   * host's. A definition with formalisms is refused. */
  readonly formalisms?: readonly Formalism[];
}

/** Identity, for type inference in TypeScript libraries. */
export function defineLibrary(definition: LibraryDefinition): LibraryDefinition {
  return definition;
}

/** What a library's default-export function receives. */
export interface LibraryApi {
  readonly version: 1;
  readonly defineLibrary: typeof defineLibrary;
}

export const LIBRARY_API: LibraryApi = Object.freeze({ version: 1, defineLibrary });
