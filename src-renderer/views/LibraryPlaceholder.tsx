// What an object shows instead of itself while its library's code waits for the user's consent,
// or after the user denied it (with a way to be asked again).
import { attempt } from '../app/attempt';
import { useBridge } from '../app/BridgeContext';

export interface LibraryPlaceholderProps {
  readonly url: string;
  readonly sha256: string;
  readonly decision: 'ask' | 'deny';
}

export function LibraryPlaceholder({ url, sha256, decision }: LibraryPlaceholderProps): React.JSX.Element {
  const bridge = useBridge();
  return (
    <div
      className="view-placeholder"
      data-testid="library-placeholder"
      data-decision={decision}
      role="status"
    >
      {decision === 'ask' ? (
        <span>
          Needs code from <code>{url}</code> — waiting for your consent
        </span>
      ) : (
        <>
          <span>
            Blocked: you denied code from <code>{url}</code>
          </span>
          <button
            type="button"
            className="button small"
            data-testid="library-ask-again"
            title={`SHA-256 ${sha256}`}
            onClick={() =>
              void attempt(
                bridge.call('library.answer', { url, sha256, answer: 'ask' }),
                'Could not forget the answer',
              )
            }
          >
            Ask me again
          </button>
        </>
      )}
    </div>
  );
}
