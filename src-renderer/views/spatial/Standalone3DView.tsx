// A 3D object opened on its own (a window, or an item of a 2D desktop): a small scene with just
// that object, its controls on top. An airplane that flies is followed by the camera.
import { useRef, useState } from 'react';
import type { Group } from 'three';
import type { OpenedObject } from '../../../src-shared/bridge/protocol';
import type { GeoArea } from '../../../src-shared/spatial/geodata';
import { DEFAULT_AREA, areaExtent } from '../../../src-shared/spatial/geodata';
import type { Placement } from '../../../src-shared/spatial/placement';
import type { Vec3 } from '../../../src-shared/spatial/vec';
import { IDENTITY_QUAT, ZERO3 } from '../../../src-shared/spatial/vec';
import { useViewState } from '../../app/stores/replicas';
import { Airplane3D } from './Airplane3D';
import { Building3D } from './Building3D';
import { AreaOutlines, Map3D } from './Map3D';
import { ObjectControls } from './ObjectControls';
import { shownPoses } from './scene-registry';
import { FitButton, SceneCanvas } from './SceneCanvas';
import { Tracks3D } from './Tracks3D';

/** An object opened on its own sits at the origin. */
const IDENTITY_PLACEMENT: Placement = { position: ZERO3, rotation: IDENTITY_QUAT, scale: [1, 1, 1] };
const identityPlacement = (): Placement => IDENTITY_PLACEMENT;

export function Standalone3DView({ object }: { object: OpenedObject }): React.JSX.Element {
  const { handle, kind } = object;
  const key = object.reference.trim();
  const content = useRef<Group>(null);
  const mapArea = useViewState(handle, 'map')?.area;
  const [following, setFollowing] = useState(true);
  const [fitSignal, setFitSignal] = useState(0);
  const streamed = kind === 'flights' || kind === 'coordinates';
  const initial = initialView(kind, mapArea);
  const follow =
    kind === 'airplane' && following
      ? () => {
          const pose = shownPoses.get(handle);
          return pose && pose.mode !== 'placed' ? pose : undefined;
        }
      : undefined;
  return (
    <div className="space3d standalone3d" data-testid={`${kind}-view`} data-handle={handle}>
      <SceneCanvas
        cameraKey={`standalone ${key}`}
        handle={handle}
        content={content}
        follow={follow}
        fitSignal={fitSignal}
        initial={initial}
      >
        {kind === 'airplane' && <Airplane3D handle={handle} placement={identityPlacement} />}
        {kind === 'building' && <Building3D handle={handle} />}
        {kind === 'map' && <Map3D handle={handle} mapKey={key} />}
        {streamed && <AreaOutlines />}
        {streamed && <Tracks3D handle={handle} />}
      </SceneCanvas>
      <div className="space3d-toolbar">
        <FitButton onFit={() => setFitSignal((n) => n + 1)} />
        {kind === 'airplane' && (
          <button
            type="button"
            className={`button small${following ? ' primary' : ' ghost'}`}
            data-testid="space3d-follow"
            aria-pressed={following}
            onClick={() => setFollowing((f) => !f)}
          >
            {following ? 'Following' : 'Follow'}
          </button>
        )}
      </div>
      <div className="space3d-selection standalone">
        <ObjectControls object={object} />
      </div>
    </div>
  );
}

/** Where to look first: geographic objects from high above their area, small ones close up. */
function initialView(kind: string, mapArea: GeoArea | undefined): { position: Vec3; target: Vec3 } {
  if (kind === 'map' || kind === 'flights' || kind === 'coordinates') {
    const e = areaExtent(mapArea ?? DEFAULT_AREA);
    const d = Math.max(e.width, e.depth);
    return { position: [0, d * 0.75, d * 0.75], target: [0, 0, 0] };
  }
  if (kind === 'airplane') return { position: [45, 25, 60], target: [0, 0, 0] };
  return { position: [40, 35, 60], target: [0, 5, 0] };
}
