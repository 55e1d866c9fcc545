// The shell UI: top bar, the object windows, the toolbox, notifications, connection and storage state.
import { useRef } from 'react';
import { ConnectionBanner } from './ConnectionBanner';
import { LibraryConsentDialog } from './LibraryConsentDialog';
import { Notifications } from './Notifications';
import { StorageBanner } from './StorageBanner';
import { Toolbox } from './Toolbox';
import { TopBar } from './TopBar';
import { Workspace } from './Workspace';
import { useBridge } from './BridgeContext';
import { useWindowDrop } from './useWindowDrop';

export function App(): React.JSX.Element {
  const fileInput = useRef<HTMLInputElement>(null);
  useWindowDrop(useBridge());
  return (
    <div className="app">
      <ConnectionBanner />
      <StorageBanner />
      <TopBar fileInput={fileInput} />
      <div className="app-body">
        <Workspace onOpenFile={() => fileInput.current?.click()} />
        <Toolbox />
      </div>
      <Notifications />
      <LibraryConsentDialog />
    </div>
  );
}

/** Shown instead of the app when no bridge can be made (e.g. a web page without its token). */
export function NoBridge({ reason }: { reason: string }): React.JSX.Element {
  return (
    <main className="workspace empty">
      <div className="empty-card" role="alert" data-testid="no-bridge">
        <h1>Live Objects cannot reach its host</h1>
        <p>{reason}</p>
      </div>
    </main>
  );
}
