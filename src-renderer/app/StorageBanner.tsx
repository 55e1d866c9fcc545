// Tells the user, for as long as it lasts, that changes cannot be saved to disk (disk full…):
// the host keeps them in memory and writes them once it can, so the app must stay open.
import type { StorageStatus } from '../../src-shared/bridge/protocol';
import { storageWarning } from '../../src-shared/bridge/storage';
import { useStorage } from './stores/storage';

export function StorageBanner(): React.JSX.Element | null {
  return <StorageBannerView status={useStorage((s) => s.status)} />;
}

export function StorageBannerView({
  status,
}: {
  status: StorageStatus | undefined;
}): React.JSX.Element | null {
  const text = status && storageWarning(status);
  if (!text) return null;
  return (
    <div className="connection-banner failed" data-testid="storage-banner" role="alert">
      {text}
    </div>
  );
}
