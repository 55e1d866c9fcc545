// Asks the user whether code from a library may run on this computer: names the library's URL,
// its SHA-256 and the objects that need it. The host remembers the answer (in its registry);
// until then those objects show a placeholder.
import type { LibraryAnswer } from '../../src-shared/bridge/protocol';
import { attempt } from './attempt';
import { useBridge } from './BridgeContext';
import { useConsent } from './stores/consent';

export function LibraryConsentDialog(): React.JSX.Element | null {
  const bridge = useBridge();
  const request = useConsent((s) => s.requests[0]);
  if (!request) return null;
  const answer = (answer: LibraryAnswer['answer']) =>
    void attempt(
      bridge.call('library.answer', { url: request.url, sha256: request.sha256, answer }),
      'The answer could not be saved',
    );
  const objects = request.neededBy.join(', ');
  return (
    <div className="consent-backdrop">
      <div
        className="consent-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="consent-title"
        data-testid="library-consent"
      >
        <h2 id="consent-title">Run code from a library?</h2>
        <p>
          <strong>{objects}</strong> {request.neededBy.length > 1 ? 'need' : 'needs'} code from this library.
          Allow it only if you trust whoever published it: it runs on this computer, in a separate process
          without access to your files.
        </p>
        <dl className="consent-library">
          <dt>URL</dt>
          <dd data-testid="library-consent-url">{request.url}</dd>
          <dt>SHA-256</dt>
          <dd data-testid="library-consent-digest">{request.sha256}</dd>
        </dl>
        <p className="muted small">Your answer is remembered for this URL and digest.</p>
        <div className="consent-actions">
          <button
            type="button"
            className="button"
            data-testid="library-consent-deny"
            onClick={() => answer('deny')}
          >
            Deny
          </button>
          <button
            type="button"
            className="button primary"
            data-testid="library-consent-allow"
            onClick={() => answer('allow')}
          >
            Allow
          </button>
        </div>
      </div>
    </div>
  );
}
