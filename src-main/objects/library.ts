// liveobjects.library: a template (url, sha256) whose instances are folders of the objects
// and templates defined by a code module. Nothing is fetched before the URL passed the policy
// (libraries/url-policy.ts: https:, or http: on this machine) and this host's user consented to
// that URL and digest (libraries/consent.ts); the module's bytes are hashed before anything
// else, and on a mismatch nothing is executed. The verified bytes run in a process of their
// own (libraries/sandbox*.ts); the host reaches the library's objects only through their
// endpoints, as messages.
//
// Naming: item(name) answers `<primitive id="H"/>` where H is the first 32 hex digits of
// SHA-256("<library digest>:<name>"); loading the library registers H in the runtime's
// catalogue. Portable files name library objects with an external reference whose <from> is
// the library reference itself.
import { createHash } from 'node:crypto';
import type { ConstraintDecl, EventDecl, Reference, TypeDecl } from '../../src-shared/format/document';
import { NAME, OBJECT, STRING, folderType } from '../../src-shared/model/catalogue';
import { parseTypeExpr } from '../../src-shared/model/type-expr';
import type { ObjectType } from '../../src-shared/model/types';
import type { CatalogueEntry, ObjectCatalogue, ParameterDecl, TemplateEntry } from '../runtime/catalogue';
import { FOLDER_ENDPOINT, serveFolder } from '../runtime/folder';
import { LocalProxy } from '../runtime/proxy';
import type { TypeResolver } from '../runtime/type-checks';
import { createTypeEnvironment } from '../runtime/type-checks';
import type { LibraryConstraints, LibraryEvents, LibraryParameter } from './library-api';
import type { LibraryConsent } from './libraries/consent';
import { NO_CONSENT } from './libraries/consent';
import { LibraryConsentError, LibraryError } from './libraries/errors';
import { fetchLibraryBytes } from './libraries/fetch';
import { LibrarySandbox } from './libraries/sandbox';
import type { SandboxLauncher } from './libraries/sandbox-launcher';
import { launchNodeSandbox } from './libraries/sandbox-launcher';
import type { LibraryManifest } from './libraries/sandbox-protocol';
import { checkLibraryUrl } from './libraries/url-policy';

export { LibraryConsentError, LibraryError, consentErrorIn } from './libraries/errors';
export { MAX_LIBRARY_BYTES, fetchLibraryBytes } from './libraries/fetch';
export { LibraryUrlError, checkLibraryUrl } from './libraries/url-policy';

export const LIBRARY_ID = 'liveobjects.library';

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The catalogue id of `name` inside the library with `digest`. */
export function libraryItemId(digest: string, name: string): string {
  return sha256Hex(`${digest.toLowerCase()}:${name}`).slice(0, 32);
}

export interface LibraryOptions {
  /** What this host's user allowed; default: nothing (every library is refused). */
  readonly consent?: LibraryConsent;
  /** Starts a library's process; default: a Node child under the permission model. */
  readonly launch?: SandboxLauncher;
  /** Errors of library code after loading (a handler threw); default: console.error. */
  readonly onError?: (message: string) => void;
}

/** A loaded library: its definitions as catalogue entries, by name. */
export interface LoadedLibrary {
  readonly digest: string;
  readonly entries: ReadonlyMap<string, CatalogueEntry>;
  /** False once the library's process has ended (it is started again on the next load). */
  readonly alive: boolean;
}

// One process per digest and launcher, shared by the catalogues of this process. Consent is
// checked before every use, so a host that did not consent never reaches a loaded library.
const loaded = new WeakMap<SandboxLauncher, Map<string, Promise<LoadedLibrary>>>();

/** Throws unless code from `url` with `sha256` may run here; nothing is fetched. */
export function checkLibraryAllowed(url: string, sha256: string, consent: LibraryConsent): string {
  checkLibraryUrl(url);
  const digest = sha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(digest)) {
    throw new LibraryError(url, `sha256 must be 64 hex digits, but is '${sha256.slice(0, 80)}'`);
  }
  const decision = consent.decision(url, digest);
  if (decision !== 'allow') throw new LibraryConsentError(url, digest, decision ?? 'ask');
  return digest;
}

/**
 * Checks the URL and the consent, then fetches the module, verifies the digest and (only then)
 * evaluates it in a library process and reads its definitions.
 */
export async function loadLibrary(
  url: string,
  sha256: string,
  options: LibraryOptions = {},
  signal?: AbortSignal,
): Promise<LoadedLibrary> {
  const expected = checkLibraryAllowed(url, sha256, options.consent ?? NO_CONSENT);
  const launch = options.launch ?? launchNodeSandbox;
  let byDigest = loaded.get(launch);
  if (!byDigest) loaded.set(launch, (byDigest = new Map()));
  const cached = byDigest.get(expected);
  if (cached && (await isAlive(cached))) return cached;
  const bytes = await fetchLibraryBytes(url, signal);
  const actual = sha256Hex(bytes);
  if (actual !== expected) {
    throw new LibraryError(
      url,
      `SHA-256 mismatch: expected ${expected}, actual ${actual}; the module was not loaded`,
    );
  }
  let pending = byDigest.get(actual);
  if (!pending || pending === cached) {
    const cache = byDigest;
    pending = start(url, actual, bytes, launch, options.onError ?? ((m) => console.error(m)));
    cache.set(actual, pending);
    pending.catch(() => cache.delete(actual));
  }
  return pending;
}

function isAlive(library: Promise<LoadedLibrary>): Promise<boolean> {
  return library.then(
    (l) => l.alive,
    () => false,
  );
}

async function start(
  url: string,
  digest: string,
  bytes: Uint8Array,
  launch: SandboxLauncher,
  onError: (message: string) => void,
): Promise<LoadedLibrary> {
  const { sandbox, manifest } = await LibrarySandbox.load(url, bytes, launch, onError);
  try {
    const entries = buildEntries(url, digest, checkManifest(url, manifest), sandbox);
    return {
      digest,
      entries,
      get alive() {
        return sandbox.alive;
      },
    };
  } catch (e) {
    sandbox.close();
    throw e;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The manifest came from library code: its shape is checked here again. */
function checkManifest(url: string, manifest: unknown): LibraryManifest {
  const fail = (detail: string): never => {
    throw new LibraryError(url, `${detail} (see docs/library-api.md)`);
  };
  if (!isRecord(manifest)) return fail('the library process sent no definition');
  for (const group of ['types', 'objects', 'templates'] as const) {
    if (!isRecord(manifest[group])) fail(`'${group}' must be an object`);
  }
  for (const [group, items] of Object.entries(manifest)) {
    if (group === 'types') continue;
    for (const [name, item] of Object.entries(items as Record<string, unknown>)) {
      if (!isRecord(item) || typeof item.type !== 'string') fail(`${group}.${name} must have a type`);
    }
  }
  return manifest as unknown as LibraryManifest;
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

function typeDecls(def: LibraryManifest): TypeDecl[] {
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

function buildEntries(
  url: string,
  digest: string,
  def: LibraryManifest,
  sandbox: LibrarySandbox,
): Map<string, CatalogueEntry> {
  const inLibrary = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new LibraryError(url, `${what}: ${(e as Error).message}`, { cause: e });
    }
  };
  const types = inLibrary('types', () => createTypeEnvironment(typeDecls(def)));
  const objectTypeOf = (what: string, text: string): ObjectType =>
    inLibrary(what, () => types.resolveObjectType(parseTypeExpr(text)));
  // The host's end of an instance checks every event the library sends, in production too.
  const run = async (id: string, type: ObjectType, request: Parameters<LibrarySandbox['instantiate']>[0]) => {
    const proxy = new LocalProxy(id, type, { checkEvents: true });
    await sandbox.instantiate(request, proxy);
    return proxy;
  };
  const entries = new Map<string, CatalogueEntry>();
  for (const [name, o] of Object.entries(def.objects)) {
    const id = libraryItemId(digest, name);
    entries.set(name, {
      kind: 'object',
      id,
      type: objectTypeOf(`objects.${name}`, o.type),
      description: o.description ?? `object '${name}' of library ${url}`,
      create: (ctx) => run(id, ctx.type, { kind: 'object', name }),
    });
  }
  for (const [name, t] of Object.entries(def.templates)) {
    if (entries.has(name)) throw new LibraryError(url, `'${name}' is both an object and a template`);
    const id = libraryItemId(digest, name);
    const entry: TemplateEntry = {
      kind: 'template',
      id,
      type: objectTypeOf(`templates.${name}`, t.type),
      params: Object.entries(t.params ?? {}).map(([p, decl]) =>
        inLibrary(`templates.${name}.params.${p}`, () => parameterDecl(types, p, decl)),
      ),
      description: t.description ?? `template '${name}' of library ${url}`,
      instantiate: (ctx) => run(id, ctx.type, { kind: 'template', name, args: ctx.args.values }),
    };
    entries.set(name, entry);
  }
  return entries;
}

/** Registers a loaded library's entries in `catalogue` (again after its process was restarted). */
export function registerLibrary(catalogue: ObjectCatalogue, library: LoadedLibrary): void {
  for (const entry of library.entries.values()) {
    if (catalogue.get(entry.id) !== entry) catalogue.register(entry, { replace: true });
  }
}

export function libraryEntry(options: LibraryOptions = {}): TemplateEntry {
  return {
    kind: 'template',
    id: LIBRARY_ID,
    params: [
      {
        name: 'url',
        kind: 'value',
        type: STRING,
        required: true,
        description: 'https: URL of the ES module (http: only on this machine, for development)',
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
      const library = await loadLibrary(
        ctx.args.string('url'),
        ctx.args.string('sha256'),
        options,
        ctx.signal,
      );
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
