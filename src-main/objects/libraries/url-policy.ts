// Where library code may come from: https: anywhere, http: only from this machine (loopback,
// for development). Everything else — file:, data:, relative paths, other schemes — is refused
// before anything is fetched or read, with one message that does not depend on what the URL
// names, so an error never tells whether a local path exists.
import { isIP } from 'node:net';

export class LibraryUrlError extends Error {
  constructor(readonly url: string) {
    super(
      `library ${shortUrl(url)}: refused: a library must be an https: URL (or http: on this machine — ` +
        'localhost, 127.0.0.0/8, ::1 — for development); file paths, file:, data: and other URLs are ' +
        'never loaded. Publish the module on a web server and reference its https: URL.',
    );
    this.name = 'LibraryUrlError';
  }
}

/** At most this much of a URL is echoed in messages. */
const SHOWN_URL_CHARS = 200;

export function shortUrl(url: string): string {
  return url.length > SHOWN_URL_CHARS ? `${url.slice(0, SHOWN_URL_CHARS)}…` : url;
}

/** Whether `hostname` (as URL.hostname gives it) is this machine: localhost, 127/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  // Names other than `localhost` itself go to DNS, which may answer with any address.
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || host.startsWith('::ffff:127.');
  return false;
}

/** The parsed URL when code may be fetched from it; throws LibraryUrlError otherwise. */
export function checkLibraryUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LibraryUrlError(url);
  }
  if (parsed.username !== '' || parsed.password !== '') throw new LibraryUrlError(url);
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return parsed;
  throw new LibraryUrlError(url);
}
