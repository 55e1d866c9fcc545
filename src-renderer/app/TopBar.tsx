// Host and user, the connection area, opening files, and new objects.
import { useRef } from 'react';
import { createObject, openReferenceFile } from './actions';
import { useBridge } from './BridgeContext';
import { NetworkArea } from './NetworkArea';
import { useWorkspace } from './stores/workspace';

export function TopBar({
  fileInput,
}: {
  fileInput: React.RefObject<HTMLInputElement | null>;
}): React.JSX.Element {
  const bridge = useBridge();
  const host = useWorkspace((s) => s.host);
  const busy = useRef(false);

  const openFiles = async (files: readonly File[]) => {
    for (const file of files) await openReferenceFile(bridge, file);
  };

  const create = (template: 'desktop' | 'note' | 'image') => {
    if (busy.current) return;
    busy.current = true;
    void createObject(bridge, template).finally(() => {
      busy.current = false;
    });
  };

  return (
    <header className="topbar">
      <span className="brand">Live Objects</span>
      <nav className="topbar-actions" aria-label="Objects">
        <button
          type="button"
          className="button"
          data-testid="open-file"
          onClick={() => fileInput.current?.click()}
        >
          Open…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".liveobject,application/xml,text/xml"
          multiple
          hidden
          data-testid="open-file-input"
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            void openFiles(files);
          }}
        />
        <button type="button" className="button" data-testid="new-desktop" onClick={() => create('desktop')}>
          New desktop
        </button>
        <button type="button" className="button" data-testid="new-note" onClick={() => create('note')}>
          New note
        </button>
        <button type="button" className="button" data-testid="new-image" onClick={() => create('image')}>
          New image
        </button>
      </nav>
      <NetworkArea />
      <div className="host-info" data-testid="host-info">
        {host ? (
          <>
            <span className="muted small host-node" title={`This node: ${host.nodeId}`}>
              {`${host.shell === 'electron' ? 'Desktop app' : 'Browser'} · node ${host.nodeId} · v${host.version}`}
            </span>
            <span className="user-chip" data-testid="user-name" title="You">
              {host.userName}
            </span>
          </>
        ) : (
          <span className="muted small">Not connected</span>
        )}
      </div>
    </header>
  );
}
