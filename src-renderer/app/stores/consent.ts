// Requests for consent to library code (library-consent.ts in src-shared/bridge): the dialog
// shows the oldest; `decisions` counts the host's answers so that opens waiting for one are
// tried again (useOpenReference).
import { createStore, useStore } from 'zustand';
import type { LibraryConsentRequest, LibraryDecided } from '../../../src-shared/bridge/protocol';

export interface ConsentRequest {
  readonly url: string;
  readonly sha256: string;
  /** Every object that asked, in order, without repeats. */
  readonly neededBy: readonly string[];
}

interface ConsentState {
  readonly requests: readonly ConsentRequest[];
  /** Bumped on every answer the host remembered. */
  readonly decisions: number;
  /** The latest answer. */
  readonly last: LibraryDecided | undefined;
  request(request: LibraryConsentRequest): void;
  decided(decided: LibraryDecided): void;
}

const same = (a: { url: string; sha256: string }, b: { url: string; sha256: string }) =>
  a.url === b.url && a.sha256 === b.sha256;

export function createConsentStore() {
  return createStore<ConsentState>()((set) => ({
    requests: [],
    decisions: 0,
    last: undefined,
    request: (r) =>
      set(({ requests }) => {
        const known = requests.find((q) => same(q, r));
        if (!known)
          return { requests: [...requests, { url: r.url, sha256: r.sha256, neededBy: [r.neededBy] }] };
        if (known.neededBy.includes(r.neededBy)) return {};
        return {
          requests: requests.map((q) => (q === known ? { ...q, neededBy: [...q.neededBy, r.neededBy] } : q)),
        };
      }),
    decided: (d) =>
      set(({ requests, decisions }) => ({
        requests: d.answer === 'ask' ? requests : requests.filter((q) => !same(q, d)),
        decisions: decisions + 1,
        last: d,
      })),
  }));
}

export const consent = createConsentStore();

export function useConsent<T>(selector: (state: ConsentState) => T): T {
  return useStore(consent, selector);
}

/** The host's next answer about the library `which` (`ask`: forgotten). */
export function consentAnswer(which: {
  readonly url: string;
  readonly sha256: string;
}): Promise<LibraryDecided['answer']> {
  return new Promise((resolve) => {
    let last = consent.getState().last;
    const off = consent.subscribe((state) => {
      const d = state.last;
      if (!d || d === last || !same(d, which)) return;
      last = d;
      off();
      resolve(d.answer);
    });
  });
}
