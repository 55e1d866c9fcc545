// Picks the view for an opened object's kind. `ancestors` are the references of the desktops
// this view is nested in, so a desktop placed inside itself is not opened forever.
import type { OpenedObject } from '../../src-shared/bridge/protocol';
import { DesktopView } from './DesktopView';
import { ImageView } from './ImageView';
import { NoteView } from './NoteView';
import { Space3DView } from './spatial/Space3DView';
import { Standalone3DView } from './spatial/Standalone3DView';

export interface ObjectViewProps {
  readonly object: OpenedObject;
  readonly ancestors: readonly string[];
}

export function ObjectView({ object, ancestors }: ObjectViewProps): React.JSX.Element {
  switch (object.kind) {
    case 'desktop':
      return <DesktopView object={object} ancestors={ancestors} />;
    case 'note':
      return <NoteView handle={object.handle} />;
    case 'image':
      return <ImageView handle={object.handle} title={object.title} />;
    case 'space3d':
      return <Space3DView object={object} />;
    case 'airplane':
    case 'building':
    case 'map':
    case 'flights':
    case 'coordinates':
      return <Standalone3DView object={object} />;
    default:
      return (
        <div className="view-placeholder" data-testid="unsupported-view" data-kind={object.kind}>
          <strong>{object.title}</strong>
          <span>
            This {object.type || object.kind} object ({object.kind}) has no view in this build yet; it stays
            live and can be placed on desktops that accept it.
          </span>
        </div>
      );
  }
}
