// Says, next to where something was dropped, in everyday words what to do instead; the
// receiver's type explanation is one click away ("Why?"), and opening it keeps the refusal up.
import { useCallback, useEffect, useState } from 'react';
import { Icon } from '../app/Icon';
export interface Refusal {
  readonly id: number;
  readonly reason: string;
  /** The receiver's explanation (types), shown on request. */
  readonly why?: string;
  /** The user opened the explanation: the refusal stays until dismissed. */
  readonly kept?: boolean;
  /** Position inside the view's root element, in CSS pixels. */
  readonly left: number;
  readonly top: number;
}

/** A refusal goes away by itself after this long. */
const REFUSAL_MS = 6_000;

/** The refusal of a drop view whose root element is `root`: set at a drop point, cleared after a while. */
export function useDropRefusal(root: React.RefObject<HTMLElement | null>): {
  refusal: Refusal | null;
  refuseAt: (reason: string, clientX: number, clientY: number, why?: string) => void;
  dismiss: () => void;
  keep: () => void;
} {
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  useEffect(() => {
    if (!refusal || refusal.kept) return;
    const timer = setTimeout(() => setRefusal(null), REFUSAL_MS);
    return () => clearTimeout(timer);
  }, [refusal]);
  // Kept inside the root, just below the pointer.
  const refuseAt = useCallback(
    (reason: string, clientX: number, clientY: number, why?: string) => {
      const rect = root.current?.getBoundingClientRect();
      const left = rect ? Math.max(8, Math.min(clientX - rect.left, rect.width - 240)) : 16;
      const top = rect ? Math.max(8, Math.min(clientY - rect.top + 12, rect.height - 60)) : 16;
      setRefusal({ id: Date.now(), reason, ...(why ? { why } : {}), left, top });
    },
    [root],
  );
  const dismiss = useCallback(() => setRefusal(null), []);
  const keep = useCallback(() => setRefusal((r) => (r && !r.kept ? { ...r, kept: true } : r)), []);
  return { refusal, refuseAt, dismiss, keep };
}

export function DropRefusal({
  refusal,
  onDismiss,
  onKeep,
}: {
  refusal: Refusal;
  onDismiss: () => void;
  onKeep?: () => void;
}): React.JSX.Element {
  return (
    <div
      className="drop-refusal"
      data-testid="drop-refusal"
      role="alert"
      style={{ left: refusal.left, top: refusal.top }}
    >
      <div className="drop-refusal-text">
        <span data-testid="drop-refusal-reason">{refusal.reason}</span>
        {refusal.why && (
          <details onToggle={(e) => e.currentTarget.open && onKeep?.()}>
            <summary>Why?</summary>
            <p data-testid="drop-refusal-why">{refusal.why}</p>
          </details>
        )}
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        <Icon name="close" />
      </button>
    </div>
  );
}
