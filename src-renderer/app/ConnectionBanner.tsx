// Tells the user when the host is out of reach; the app keeps retrying by itself.
import { useConnection } from './stores/connection';

export function ConnectionBanner(): React.JSX.Element | null {
  const status = useConnection((s) => s.status);
  if (status.state === 'open') return null;
  const text =
    status.state === 'connecting'
      ? 'Connecting to the host…'
      : status.state === 'reconnecting'
        ? 'Connection to the host lost; reconnecting…'
        : `Cannot reach the host: ${status.reason}`;
  return (
    <div
      className={`connection-banner ${status.state}`}
      data-testid="connection-banner"
      data-state={status.state}
      role="status"
    >
      {text}
    </div>
  );
}
