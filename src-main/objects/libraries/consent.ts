// Whether this host may load the code of a library, per URL and SHA-256: what its user answered,
// remembered in the registry file (registry.json, key "libraries"), plus what the command line
// allowed for one run. No answer means "ask": the loader refuses and the host asks its user.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { RegistryError } from '../registry';

export type LibraryDecision = 'allow' | 'deny';

/** What a host knows about the user's consent. */
export interface LibraryConsent {
  /** The remembered answer for code from `url` with digest `sha256`; undefined: not asked yet. */
  decision(url: string, sha256: string): LibraryDecision | undefined;
}

/** Consent for nothing: the default wherever no user can be asked (tests, tools). */
export const NO_CONSENT: LibraryConsent = { decision: () => undefined };

/** Consent given up front, e.g. by `--allow-library URL` or `--trust-libraries`. */
export function givenConsent(options: {
  readonly urls?: readonly string[];
  readonly all?: boolean;
}): LibraryConsent {
  const urls = new Set(options.urls ?? []);
  return { decision: (url) => (options.all || urls.has(url) ? 'allow' : undefined) };
}

type Remembered = Record<string, Record<string, LibraryDecision>>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The "libraries" value of a registry file's JSON, checked; throws RegistryError naming the problem. */
export function readRememberedConsent(path: string, json: Record<string, unknown>): Remembered {
  const value = json.libraries;
  if (value === undefined) return {};
  const fail = (detail: string): never => {
    throw new RegistryError(
      path,
      `"libraries": ${detail}; expected { "URL": { "SHA-256": "allow" | "deny" } }`,
    );
  };
  if (!isRecord(value)) return fail('must be an object');
  const out: Remembered = Object.create(null) as Remembered;
  for (const [url, digests] of Object.entries(value)) {
    if (!isRecord(digests)) return fail(`the value of "${url.slice(0, 200)}" must be an object`);
    const byDigest: Record<string, LibraryDecision> = Object.create(null) as Record<string, LibraryDecision>;
    for (const [digest, answer] of Object.entries(digests)) {
      if (answer !== 'allow' && answer !== 'deny')
        return fail(`"${digest.slice(0, 80)}" must be "allow" or "deny"`);
      byDigest[digest.toLowerCase()] = answer;
    }
    out[url] = byDigest;
  }
  return out;
}

export interface DecidedEvent {
  readonly url: string;
  readonly sha256: string;
  /** `undefined`: forgotten (the user will be asked again). */
  readonly decision: LibraryDecision | undefined;
}

/**
 * The user's answers, kept in the registry file at `path`. Reads the file on every question
 * (so hand edits count at once) and rewrites it, other keys untouched, on every answer.
 */
export class RegistryConsent implements LibraryConsent {
  private readonly listeners = new Set<(event: DecidedEvent) => void>();

  constructor(
    readonly path: string,
    private readonly given: LibraryConsent = NO_CONSENT,
  ) {}

  decision(url: string, sha256: string): LibraryDecision | undefined {
    const digest = sha256.toLowerCase();
    return this.remembered()[url]?.[digest] ?? this.given.decision(url, digest);
  }

  /** Remembers `decision` (undefined forgets the answer) and tells the listeners. */
  remember(url: string, sha256: string, decision: LibraryDecision | undefined): void {
    const digest = sha256.toLowerCase();
    const json = this.json();
    const all = readRememberedConsent(this.path, json);
    const forUrl = { ...all[url] };
    if (decision) forUrl[digest] = decision;
    else delete forUrl[digest];
    if (Object.keys(forUrl).length > 0) all[url] = forUrl;
    else delete all[url];
    const next: Record<string, unknown> = { version: 1, entries: {}, ...json, libraries: all };
    if (Object.keys(all).length === 0) delete next.libraries;
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(next, null, 2)}\n`);
    renameSync(temporary, this.path);
    for (const l of [...this.listeners]) l({ url, sha256: digest, decision });
  }

  onDecided(listener: (event: DecidedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private remembered(): Remembered {
    return readRememberedConsent(this.path, this.json());
  }

  private json(): Record<string, unknown> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new RegistryError(this.path, `cannot be read: ${(e as Error).message}`, { cause: e });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new RegistryError(this.path, `is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    if (!isRecord(json))
      throw new RegistryError(this.path, 'expected a JSON object { "version": 1, "entries": { … } }');
    return json;
  }
}
