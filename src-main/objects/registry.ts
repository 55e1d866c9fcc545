// liveobjects.registry: a Folder<Name, Object> whose name → reference mapping is local,
// user-edited configuration (live-objects-model.md, "Registry"). It makes references
// portable: a file names `QuickSilver` and every machine maps it to its own platform.
//
// File: JSON, `{ "version": 1, "entries": { "NAME": "VALUE", … } }`. A VALUE starting with
// `<` is the XML text of a .liveobject document; anything else is the path of a .liveobject
// file, relative to the registry file's directory. Entries override the built-in defaults.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Reference } from '../../src-shared/format/document';
import { parseLiveObject } from '../../src-shared/format';
import { NAME, OBJECT, folderType } from '../../src-shared/model/catalogue';
import type { ObjectEntry } from '../runtime/catalogue';
import { FOLDER_ENDPOINT, serveFolder } from '../runtime/folder';
import { qsmPlatformReference } from './qsm/platform-entry';

export const REGISTRY_ID = 'liveobjects.registry';

/** The default platform's membership service address. A host maps it to the service it found
 * on the LAN or serves (docs/network.md); tools without a host use it as it is. */
export const DEFAULT_GMS = { host: '127.0.0.1', port: 7070 } as const;

/** The registry name of the QuickSilver platform, which portable references name. */
export const PLATFORM_NAME = 'QuickSilver';

/** `QuickSilver` → `qsm.platform` with `gms = 127.0.0.1:7070`. */
export function defaultRegistryEntries(): Map<string, Reference> {
  return new Map<string, Reference>([[PLATFORM_NAME, qsmPlatformReference(DEFAULT_GMS)]]);
}

export class RegistryError extends Error {
  constructor(
    readonly path: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`registry ${path}: ${detail}`, options);
    this.name = 'RegistryError';
  }
}

/**
 * Where the registry lives: `LIVEOBJECTS_REGISTRY` (a file path), else
 * `$LIVEOBJECTS_HOME/registry.json`, else `~/.config/liveobjects/registry.json`.
 */
export function defaultRegistryPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.LIVEOBJECTS_REGISTRY) return resolve(env.LIVEOBJECTS_REGISTRY);
  return join(defaultHome(env), 'registry.json');
}

/** The user's Live Objects directory: `$LIVEOBJECTS_HOME`, else `~/.config/liveobjects`. */
export function defaultHome(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.LIVEOBJECTS_HOME ? resolve(env.LIVEOBJECTS_HOME) : join(homedir(), '.config', 'liveobjects');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the registry at `path` merged over the defaults; a missing file means the defaults. */
export function loadRegistry(path: string): Map<string, Reference> {
  const entries = defaultRegistryEntries();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return entries;
    throw new RegistryError(path, `cannot be read: ${(e as Error).message}`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RegistryError(path, `is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!isRecord(json))
    throw new RegistryError(path, 'expected a JSON object { "version": 1, "entries": { … } }');
  // "libraries" holds the user's answers about library code (libraries/consent.ts).
  const unknownKeys = Object.keys(json).filter((k) => !['version', 'entries', 'libraries'].includes(k));
  if (unknownKeys.length) {
    throw new RegistryError(
      path,
      `unknown key(s) ${unknownKeys.map((k) => `"${k}"`).join(', ')}; expected "version", "entries" and "libraries"`,
    );
  }
  if (json.version !== undefined && json.version !== 1) {
    throw new RegistryError(path, `unsupported "version" ${JSON.stringify(json.version)}; expected 1`);
  }
  if (!isRecord(json.entries)) {
    throw new RegistryError(path, 'expected "entries" to be an object mapping names to references');
  }
  for (const [name, value] of Object.entries(json.entries)) {
    if (name === '') throw new RegistryError(path, 'an entry has an empty name');
    if (typeof value !== 'string') {
      throw new RegistryError(
        path,
        `entry "${name}": expected a string (the XML of a .liveobject document, or the path of a .liveobject file) but found ${Array.isArray(value) ? 'an array' : typeof value}`,
      );
    }
    entries.set(name, readEntry(path, name, value));
  }
  return entries;
}

function readEntry(path: string, name: string, value: string): Reference {
  const inline = value.trimStart().startsWith('<');
  const file = inline ? undefined : resolve(dirname(path), value);
  let text = value;
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new RegistryError(path, `entry "${name}": cannot read ${file}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
  try {
    // Declared <types> of an entry are not carried: folder items are bare references.
    return parseLiveObject(text, { source: file ?? `entry "${name}"` }).reference;
  } catch (e) {
    throw new RegistryError(path, `entry "${name}": ${(e as Error).message}`, { cause: e });
  }
}

export interface RegistryOptions {
  /** The registry file; default defaultRegistryPath(). Read each time a proxy is created. */
  readonly path?: string;
}

export function registryEntry(options: RegistryOptions = {}): ObjectEntry {
  return {
    kind: 'object',
    id: REGISTRY_ID,
    type: folderType(NAME, OBJECT),
    description: 'the local registry: names → references from the user configuration (registry.json)',
    create(ctx) {
      const entries = loadRegistry(options.path ?? defaultRegistryPath());
      const proxy = ctx.proxy();
      serveFolder(proxy.portal(FOLDER_ENDPOINT), (name) => entries.get(name));
      return proxy;
    },
  };
}
