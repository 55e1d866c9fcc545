// Downloads a library module from a URL the policy allows (url-policy.ts). Redirects are
// followed by hand so that every hop is checked against the same policy: an https: library
// that redirects to file:, data: or a non-loopback http: URL is refused.
import { LibraryError } from './errors';
import { checkLibraryUrl } from './url-policy';

/** Largest module accepted, in bytes. */
export const MAX_LIBRARY_BYTES = 16 * 1024 * 1024;
const MAX_REDIRECTS = 5;

export async function fetchLibraryBytes(url: string, signal?: AbortSignal): Promise<Uint8Array> {
  let current = checkLibraryUrl(url);
  for (let hops = 0; ; hops++) {
    const response = await fetch(current, { redirect: 'manual', ...(signal && { signal }) });
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (location === null)
        throw new LibraryError(url, `download failed: HTTP ${response.status} without a Location`);
      if (hops >= MAX_REDIRECTS)
        throw new LibraryError(url, `download failed: more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, current).href;
      try {
        current = checkLibraryUrl(next);
      } catch (e) {
        throw new LibraryError(url, `refused a redirect: ${(e as Error).message}`, { cause: e });
      }
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new LibraryError(url, `download failed: HTTP ${response.status} ${response.statusText}`);
    }
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_LIBRARY_BYTES) {
      await response.body?.cancel();
      throw new LibraryError(url, `larger than ${MAX_LIBRARY_BYTES} bytes`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_LIBRARY_BYTES)
      throw new LibraryError(url, `larger than ${MAX_LIBRARY_BYTES} bytes`);
    return bytes;
  }
}
