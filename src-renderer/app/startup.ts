// What the page URL asks to open on start: each `?open=` value is either reference XML
// (URL-encoded) or an address on this origin to fetch a .liveobject file from.
import { looksLikeReference } from '../views/drop-data';

export type StartupOpen =
  { readonly kind: 'xml'; readonly xml: string } | { readonly kind: 'url'; readonly url: string };

export function startupOpens(search: string): StartupOpen[] {
  return new URLSearchParams(search)
    .getAll('open')
    .map((value) => value.trim())
    .filter((value) => value.length > 0)
    .map((value) => (looksLikeReference(value) ? { kind: 'xml', xml: value } : { kind: 'url', url: value }));
}
