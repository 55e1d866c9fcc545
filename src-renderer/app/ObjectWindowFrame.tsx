// A top-level object window: title, presence, reference actions and the object's view.
import type { ObjectWindow } from './stores/workspace';
import { ObjectView } from '../views/ObjectView';
import { copyReference, saveReference, startReferenceDrag } from '../views/drag-out';
import { attempt } from './attempt';
import { closeWindow } from './actions';
import { useBridge } from './BridgeContext';
import { useConnection } from './stores/connection';
import { local } from './stores/local';
import { Icon } from './Icon';
import { Presence } from './Presence';
import { PrivacyBadge } from './PrivacyBadge';

export function ObjectWindowFrame({ window: win }: { window: ObjectWindow }): React.JSX.Element {
  const bridge = useBridge();
  const session = useConnection((s) => s.session);
  const { object } = win;
  // Menu "Save/Copy reference" act on the object touched last (an item inside wins, see DesktopItemFrame).
  const activate = () => local.getState().setActive({ reference: object.reference, title: object.title });
  return (
    <section
      className="object-window"
      data-testid="object-window"
      data-handle={object.handle}
      data-kind={object.kind}
      aria-label={object.title}
      onPointerDownCapture={activate}
      onFocusCapture={(e) => {
        // Focus follows pointerdown: an item inside has already made itself the active one.
        if (!(e.target instanceof Element && e.target.closest('.desktop-item'))) activate();
      }}
    >
      <header className="window-titlebar">
        <span
          className="grip"
          draggable
          title="Drag this object's reference onto a desktop"
          data-testid="window-drag-handle"
          onDragStart={(e) => startReferenceDrag(e, bridge, object.reference, object.title)}
        >
          <Icon name="grip" />
        </span>
        <h2 className="window-title" data-testid="window-title">
          {object.title}
        </h2>
        <span className="kind-badge">{object.kind}</span>
        <PrivacyBadge object={object} />
        <Presence handle={object.handle} />
        <div className="window-actions">
          <button
            type="button"
            className="button small ghost"
            data-testid="copy-reference"
            onClick={() =>
              void attempt(copyReference(bridge, object.reference), 'Could not copy the reference')
            }
          >
            Copy reference
          </button>
          <button
            type="button"
            className="button small ghost"
            data-testid="save-reference"
            onClick={() =>
              void attempt(
                saveReference(bridge, object.reference, object.title),
                'Could not save the reference',
              )
            }
          >
            Save reference…
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Close ${object.title}`}
            data-testid="close-object"
            onClick={() => closeWindow(bridge, win.key, session)}
          >
            <Icon name="close" />
          </button>
        </div>
      </header>
      <div className="window-body">
        <ObjectView object={object} ancestors={[]} />
      </div>
    </section>
  );
}
