// The object windows area; empty, it offers to start with a new desktop.
import { createObject } from './actions';
import { useBridge } from './BridgeContext';
import { ObjectWindowFrame } from './ObjectWindowFrame';
import { useWorkspace } from './stores/workspace';

export function Workspace({ onOpenFile }: { onOpenFile: () => void }): React.JSX.Element {
  const bridge = useBridge();
  const windows = useWorkspace((s) => s.windows);
  if (windows.length === 0) {
    return (
      <main className="workspace empty" data-testid="workspace-empty">
        <div className="empty-card">
          <h1>Nothing open yet</h1>
          <p>Start a shared desktop, then drag notes, images and other live objects onto it.</p>
          <div className="empty-actions">
            <button
              type="button"
              className="button primary"
              data-testid="empty-new-desktop"
              onClick={() => void createObject(bridge, 'desktop')}
            >
              New desktop
            </button>
            <button type="button" className="button" onClick={onOpenFile}>
              Open a .liveobject file…
            </button>
          </div>
        </div>
      </main>
    );
  }
  return (
    <main className={`workspace count-${Math.min(windows.length, 3)}`} data-testid="workspace">
      {windows.map((w) => (
        <ObjectWindowFrame key={w.key} window={w} />
      ))}
    </main>
  );
}
