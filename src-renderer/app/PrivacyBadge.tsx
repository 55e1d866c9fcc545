// Marks an object that is not private: its reference holds no key (liveobjects.sealed), so
// its group carries readable, unauthenticated messages. Private objects show nothing.
import type { OpenedObject } from '../../src-shared/bridge/protocol';

export const NOT_PRIVATE_TOOLTIP =
  'Not private: anyone on the workspace network who learns this object’s name can read and change it. ' +
  'Objects created in this version are private; only holders of their reference can.';

export function PrivacyBadge({
  object,
}: {
  object: Pick<OpenedObject, 'private'>;
}): React.JSX.Element | null {
  if (object.private) return null;
  return (
    <span
      className="privacy-badge"
      data-testid="not-private"
      title={NOT_PRIVATE_TOOLTIP}
      aria-label={NOT_PRIVATE_TOOLTIP}
    >
      Not private
    </span>
  );
}
