// Says, next to where something was dropped, why the desktop would not take it.
import { Icon } from '../app/Icon';
export interface Refusal {
  readonly id: number;
  readonly reason: string;
  /** Position inside the desktop element, in CSS pixels. */
  readonly left: number;
  readonly top: number;
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
