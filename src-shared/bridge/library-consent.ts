// Consent to library code on the bridge. When opening an object needs code from a library this
// host's user has not allowed, the host refuses the open with a placeholder message (below) and
// sends `library.consent` to the window that asked; the renderer shows a dialog naming the URL
// and digest, and answers with the `library.answer` command. Every window of the host then gets
// `library.decided`, and opens that were waiting are tried again.
import type { Infer } from './zod';
import { z } from './zod';

export const Sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'));

export const LibraryConsentRequest = z.object({
  url: z.string(),
  sha256: Sha256,
  /** The object that needs the code (its title, or where it came from). */
  neededBy: z.string(),
  /** `ask`: no answer yet; `deny`: the user said no before (the dialog offers to change it). */
  decision: z.enum(['ask', 'deny']),
});
export type LibraryConsentRequest = Infer<typeof LibraryConsentRequest>;

/** `ask` forgets a remembered answer: the next open asks again. */
export const LibraryAnswer = z.object({
  url: z.string(),
  sha256: Sha256,
  answer: z.enum(['allow', 'deny', 'ask']),
});
export type LibraryAnswer = Infer<typeof LibraryAnswer>;

/** The host's remembered answer changed (`ask`: forgotten). */
export const LibraryDecided = LibraryAnswer;
export type LibraryDecided = LibraryAnswer;

const WAITING = ' — waiting for your consent';
const ASK = /^needs code from (.+) \(SHA-256 ([0-9a-f]{64})\) — waiting for your consent$/s;
const DENIED = /^blocked: you denied code from (.+) \(SHA-256 ([0-9a-f]{64})\)$/s;

/** What an object shows while it waits for consent or after a refusal (the open's error). */
export function consentPlaceholder(url: string, sha256: string, decision: 'ask' | 'deny'): string {
  return decision === 'ask'
    ? `needs code from ${url} (SHA-256 ${sha256})${WAITING}`
    : `blocked: you denied code from ${url} (SHA-256 ${sha256})`;
}

/** The library behind a placeholder message, if `message` is one. */
export function parseConsentPlaceholder(
  message: string,
): { readonly url: string; readonly sha256: string; readonly decision: 'ask' | 'deny' } | undefined {
  const ask = ASK.exec(message);
  if (ask?.[1] && ask[2]) return { url: ask[1], sha256: ask[2], decision: 'ask' };
  const denied = DENIED.exec(message);
  if (denied?.[1] && denied[2]) return { url: denied[1], sha256: denied[2], decision: 'deny' };
  return undefined;
}
