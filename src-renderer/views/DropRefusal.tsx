// Says, next to where something was dropped, why the desktop or space would not take it.
import { useCallback, useEffect, useState } from 'react';
import { Icon } from '../app/Icon';
export interface Refusal {
  readonly id: number;
  readonly reason: string;
  /** Position inside the view's root element, in CSS pixels. */
  readonly left: number;
  readonly top: number;
}

/** A refusal goes away by itself after this long. */
const REFUSAL_MS = 6_000;

/** The refusal of a drop view whose root element is `root`: set at a drop point, cleared after a while. */
export function useDropRefusal(root: React.RefObject<HTMLElement | null>): {
  refusal: Refusal | null;
  refuseAt: (reason: string, clientX: number, clientY: number) => void;
  dismiss: () => void;
} {
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  useEffect(() => {
    if (!refusal) return;
    const timer = setTimeout(() => setRefusal(null), REFUSAL_MS);
    return () => clearTimeout(timer);
  }, [refusal]);
  // Kept inside the root, just below the pointer.
  const refuseAt = useCallback(
    (reason: string, clientX: number, clientY: number) => {
      const rect = root.current?.getBoundingClientRect();
      const left = rect ? Math.max(8, Math.min(clientX - rect.left, rect.width - 240)) : 16;
      const top = rect ? Math.max(8, Math.min(clientY - rect.top + 12, rect.height - 60)) : 16;
      setRefusal({ id: Date.now(), reason, left, top });
    },
    [root],
  );
  const dismiss = useCallback(() => setRefusal(null), []);
  return { refusal, refuseAt, dismiss };
}

export function DropRefusal({
  refusal,
  onDismiss,
}: {
  refusal: Refusal;
  onDismiss: () => void;
}): React.JSX.Element {
  return (
    <div
      className="drop-refusal"
      data-testid="drop-refusal"
      role="alert"
      style={{ left: refusal.left, top: refusal.top }}
    >
      <span>{refusal.reason}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        <Icon name="close" />
      </button>
    </div>
  );
}
