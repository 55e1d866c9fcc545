// Picks the view for an opened object's kind. `ancestors` are the references of the desktops
// this view is nested in, so a desktop placed inside itself is not opened forever. The 3D views
// (three.js, react-three-fiber, the map data) are a chunk of their own, loaded when the first
// 3D object opens, so the app is interactive sooner for everyone else.
import { Suspense, lazy } from 'react';
import type { OpenedObject } from '../../src-shared/bridge/protocol';
import { DesktopView } from './DesktopView';
import { ImageView } from './ImageView';
import { NoteView } from './NoteView';

const Space3DView = lazy(() => import('./spatial/Space3DView').then((m) => ({ default: m.Space3DView })));
const Standalone3DView = lazy(() =>
  import('./spatial/Standalone3DView').then((m) => ({ default: m.Standalone3DView })),
);

function Loading3D(): React.JSX.Element {
  return (
    <div className="view-placeholder" data-testid="view-loading">
      Loading the 3D view…
    </div>
  );
}

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
      return (
        <Suspense fallback={<Loading3D />}>
          <Space3DView object={object} />
        </Suspense>
      );
    case 'airplane':
    case 'building':
    case 'map':
    case 'flights':
    case 'coordinates':
      return (
        <Suspense fallback={<Loading3D />}>
          <Standalone3DView object={object} />
        </Suspense>
      );
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
