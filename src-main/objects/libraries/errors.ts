// Errors of the library loader. Every message starts with `library URL:` (the URL cut short).
import { shortUrl } from './url-policy';

export class LibraryError extends Error {
  constructor(
    readonly url: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`library ${shortUrl(url)}: ${detail}`, options);
    this.name = 'LibraryError';
  }
}

/** Code from `url` with `sha256` may not run on this host (yet): the user was not asked, or said no. */
export class LibraryConsentError extends Error {
  constructor(
    readonly url: string,
    readonly sha256: string,
    readonly decision: 'ask' | 'deny',
  ) {
    super(
      decision === 'ask'
        ? `library ${shortUrl(url)}: needs your consent before its code is loaded (SHA-256 ${sha256})`
        : `library ${shortUrl(url)}: blocked: you denied loading its code (SHA-256 ${sha256})`,
    );
    this.name = 'LibraryConsentError';
  }
}

/** The LibraryConsentError behind `error` (runtime errors wrap it as their cause), if any. */
export function consentErrorIn(error: unknown): LibraryConsentError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 32; e = e.cause, depth++) {
    if (e instanceof LibraryConsentError) return e;
  }
  return undefined;
}
