// liveobjects.library: a template (url, sha256) whose instances are folders of the objects
// and templates defined by a code module. The module's bytes are hashed before anything
// else; on a mismatch nothing is executed. The verified bytes themselves are imported (as a
// data: URL), so the code that runs is exactly the code that was hashed.
//
// Naming: item(name) answers `<primitive id="H"/>` where H is the first 32 hex digits of
// SHA-256("<library digest>:<name>"); loading the library registers H in the runtime's
// catalogue. Portable files name library objects with an external reference whose <from> is
// the library reference itself.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toBase64 } from 'lib0/buffer';
import type { ConstraintDecl, EventDecl, Reference, TypeDecl } from '../../src-shared/format/document';
import { NAME, OBJECT, STRING, folderType } from '../../src-shared/model/catalogue';
import { defaultFormalismRegistry } from '../../src-shared/model/formalisms';
import { parseTypeExpr } from '../../src-shared/model/type-expr';
import type { ObjectType } from '../../src-shared/model/types';
import type { CatalogueEntry, ObjectCatalogue, ParameterDecl, TemplateEntry } from '../runtime/catalogue';
import { FOLDER_ENDPOINT, serveFolder } from '../runtime/folder';
import type { TypeResolver } from '../runtime/type-checks';
import { createTypeEnvironment } from '../runtime/type-checks';
import type { LibraryConstraints, LibraryDefinition, LibraryEvents, LibraryParameter } from './library-api';
import { LIBRARY_API } from './library-api';

export const LIBRARY_ID = 'liveobjects.library';
/** Largest module accepted, in bytes. */
export const MAX_LIBRARY_BYTES = 16 * 1024 * 1024;

export class LibraryError extends Error {
  constructor(
    readonly url: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`library ${url}: ${detail}`, options);
    this.name = 'LibraryError';
  }
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The catalogue id of `name` inside the library with `digest`. */
export function libraryItemId(digest: string, name: string): string {
  return sha256Hex(`${digest.toLowerCase()}:${name}`).slice(0, 32);
}

/** Reads the module's bytes from a file path, a file: URL or an http(s) URL. */
export async function fetchLibraryBytes(url: string, signal?: AbortSignal): Promise<Uint8Array> {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    const response = await fetch(url, signal ? { signal } : {});
    if (!response.ok)
      throw new LibraryError(url, `download failed: HTTP ${response.status} ${response.statusText}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_LIBRARY_BYTES)
      throw new LibraryError(url, `larger than ${MAX_LIBRARY_BYTES} bytes`);
    return bytes;
  }
  if (scheme !== undefined && scheme !== 'file') {
    throw new LibraryError(
      url,
      `unsupported URL scheme '${scheme}:'; use a file path, a file: URL or an http(s) URL`,
    );
  }
  const path = scheme === 'file' ? fileURLToPath(url) : resolve(url);
  try {
    const bytes = await readFile(path, signal ? { signal } : {});
    if (bytes.length > MAX_LIBRARY_BYTES)
      throw new LibraryError(url, `larger than ${MAX_LIBRARY_BYTES} bytes`);
    return new Uint8Array(bytes);
  } catch (e) {
    if (e instanceof LibraryError) throw e;
    throw new LibraryError(url, `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** A loaded library: its definitions as catalogue entries, by name. */
export interface LoadedLibrary {
  readonly digest: string;
  readonly entries: ReadonlyMap<string, CatalogueEntry>;
}

// Modules are executed once per process and digest.
const loaded = new Map<string, Promise<LoadedLibrary>>();

const importModule = (specifier: string): Promise<{ default?: unknown }> =>
  import(/* @vite-ignore */ specifier);

/** Verifies the digest, then (only then) executes the module and reads its definitions. */
export async function loadLibrary(url: string, sha256: string, signal?: AbortSignal): Promise<LoadedLibrary> {
  const expected = sha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new LibraryError(url, `sha256 must be 64 hex digits, but is '${sha256}'`);
  }
  const bytes = await fetchLibraryBytes(url, signal);
  const actual = sha256Hex(bytes);
  if (actual !== expected) {
    throw new LibraryError(
      url,
      `SHA-256 mismatch: expected ${expected}, actual ${actual}; the module was not loaded`,
    );
  }
  let pending = loaded.get(actual);
  if (!pending) {
    pending = execute(url, actual, bytes);
    loaded.set(actual, pending);
    pending.catch(() => loaded.delete(actual));
  }
  return pending;
}

async function execute(url: string, digest: string, bytes: Uint8Array): Promise<LoadedLibrary> {
  const specifier = `data:text/javascript;base64,${toBase64(bytes)}`;
  let module: { default?: unknown };
  try {
    module = await importModule(specifier);
  } catch (e) {
    throw new LibraryError(url, `the module failed to load: ${(e as Error).message}`, { cause: e });
  }
  const exported = module.default;
  const definition =
    typeof exported === 'function'
      ? (exported as (api: typeof LIBRARY_API) => unknown)(LIBRARY_API)
      : exported;
  return { digest, entries: buildEntries(url, digest, validate(url, definition)) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validate(url: string, def: unknown): LibraryDefinition {
  const fail = (detail: string): never => {
    throw new LibraryError(url, `${detail} (see docs/library-api.md)`);
  };
  if (!isRecord(def))
    return fail('the default export must be a library definition or a function returning one');
  for (const key of Object.keys(def)) {
    if (!['types', 'objects', 'templates', 'formalisms'].includes(key))
      fail(`unknown key '${key}' in the definition`);
  }
  for (const group of ['types', 'objects', 'templates'] as const) {
    if (def[group] !== undefined && !isRecord(def[group])) fail(`'${group}' must be an object`);
  }
  for (const [name, o] of Object.entries((def.objects ?? {}) as Record<string, unknown>)) {
    if (!isRecord(o) || typeof o.type !== 'string' || typeof o.create !== 'function') {
      fail(`objects.${name} must be { type: string, create(ctx) }`);
    }
  }
  for (const [name, t] of Object.entries((def.templates ?? {}) as Record<string, unknown>)) {
    if (!isRecord(t) || typeof t.type !== 'string' || typeof t.instantiate !== 'function') {
      fail(`templates.${name} must be { type: string, params?, instantiate(ctx) }`);
    }
  }
  if (def.formalisms !== undefined && !Array.isArray(def.formalisms)) fail("'formalisms' must be an array");
  return def as LibraryDefinition;
}

function constraintDecls(c: LibraryConstraints | undefined): ConstraintDecl[] {
  return Object.entries(c ?? {}).map(([formalism, text]) => ({ formalism, text }));
}

function eventDecls(events: LibraryEvents | undefined): EventDecl[] {
  return Object.entries(events ?? {}).map(([event, types]) => ({
    event,
    types: (typeof types === 'string' ? (types === '' ? [] : [types]) : types).map((t) => parseTypeExpr(t)),
  }));
}

function typeDecls(def: LibraryDefinition): TypeDecl[] {
  return Object.entries(def.types ?? {}).map(([name, t]): TypeDecl =>
    t.kind === 'endpoint'
      ? {
          kind: 'endpointtype',
          name,
          in: eventDecls(t.in),
          out: eventDecls(t.out),
          provides: constraintDecls(t.provides),
          requires: constraintDecls(t.requires),
        }
      : {
          kind: 'objecttype',
          name,
          endpoints: Object.entries(t.endpoints).map(([n, type]) => ({ name: n, type: parseTypeExpr(type) })),
          provides: constraintDecls(t.provides),
          requires: constraintDecls(t.requires),
        },
  );
}

function parameterDecl(types: TypeResolver, name: string, p: LibraryParameter): ParameterDecl {
  const base = { name, required: !p.optional, ...(p.description ? { description: p.description } : {}) };
  switch (p.kind) {
    case 'value':
      return { ...base, kind: 'value', type: types.resolveValueType(parseTypeExpr(p.type)) };
    case 'reference':
      return { ...base, kind: 'reference', type: types.resolveObjectType(parseTypeExpr(p.type)) };
    case 'type':
      return { ...base, kind: 'type', typeKind: p.typeKind };
  }
}

function buildEntries(url: string, digest: string, def: LibraryDefinition): Map<string, CatalogueEntry> {
  const inLibrary = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new LibraryError(url, `${what}: ${(e as Error).message}`, { cause: e });
    }
  };
  for (const f of def.formalisms ?? [])
    inLibrary(`formalism '${f.id}'`, () => defaultFormalismRegistry.register(f));
  const types = inLibrary('types', () => createTypeEnvironment(typeDecls(def)));
  const objectTypeOf = (what: string, text: string): ObjectType =>
    inLibrary(what, () => types.resolveObjectType(parseTypeExpr(text)));
  const entries = new Map<string, CatalogueEntry>();
  for (const [name, o] of Object.entries(def.objects ?? {})) {
    entries.set(name, {
      kind: 'object',
      id: libraryItemId(digest, name),
      type: objectTypeOf(`objects.${name}`, o.type),
      description: o.description ?? `object '${name}' of library ${url}`,
      create: (ctx) => o.create(ctx),
    });
  }
  for (const [name, t] of Object.entries(def.templates ?? {})) {
    if (entries.has(name)) throw new LibraryError(url, `'${name}' is both an object and a template`);
    const entry: TemplateEntry = {
      kind: 'template',
      id: libraryItemId(digest, name),
      type: objectTypeOf(`templates.${name}`, t.type),
      params: Object.entries(t.params ?? {}).map(([p, decl]) =>
        inLibrary(`templates.${name}.params.${p}`, () => parameterDecl(types, p, decl)),
      ),
      description: t.description ?? `template '${name}' of library ${url}`,
      instantiate: (ctx) => t.instantiate(ctx),
    };
    entries.set(name, entry);
  }
  return entries;
}

/** Registers a loaded library's entries in `catalogue` (once per catalogue). */
export function registerLibrary(catalogue: ObjectCatalogue, library: LoadedLibrary): void {
  for (const entry of library.entries.values()) if (!catalogue.has(entry.id)) catalogue.register(entry);
}

export function libraryEntry(): TemplateEntry {
  return {
    kind: 'template',
    id: LIBRARY_ID,
    params: [
      {
        name: 'url',
        kind: 'value',
        type: STRING,
        required: true,
        description: 'file path, file: URL or http(s) URL of the ES module',
      },
      {
        name: 'sha256',
        kind: 'value',
        type: STRING,
        required: true,
        description: 'SHA-256 of the module (64 hex digits); loading is refused on mismatch',
      },
    ],
    type: folderType(NAME, OBJECT),
    description: 'a folder of the objects and templates defined by a code module (docs/library-api.md)',
    async instantiate(ctx) {
      const library = await loadLibrary(ctx.args.string('url'), ctx.args.string('sha256'), ctx.signal);
      registerLibrary(ctx.runtime.catalogue, library);
      const proxy = ctx.proxy();
      serveFolder(proxy.portal(FOLDER_ENDPOINT), (name): Reference | undefined => {
        const entry = library.entries.get(name);
        return entry && { kind: 'primitive', id: entry.id };
      });
      return proxy;
    },
  };
}
