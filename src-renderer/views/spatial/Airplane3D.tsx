// An airplane in a scene: the procedural model tinted by its colour (or wearing its livery), a
// callsign label, and its pose from the bound stream, evaluated every frame. Unbound, or before
// the first sample, it holds its placement.
import { useFrame } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import type { Group } from 'three';
import { Vector3 } from 'three';
import type { ObjectHandle } from '../../../src-shared/bridge/protocol';
import type { Placement } from '../../../src-shared/spatial/placement';
import { useViewState } from '../../app/stores/replicas';
import { useOpenReference } from '../useOpenReference';
import { AirplaneModel } from './AirplaneModel';
import { poseStore } from './pose-store';
import { shownPoses } from './scene-registry';
import { screenScale, toVec3 } from './scene-utils';
import { AIRPLANE_BEFORE_STATE } from './spatial-state';
import { useImageTexture } from './useLiveryTexture';
import { SceneLabel } from './SceneLabel';

export interface Airplane3DProps {
  readonly handle: ObjectHandle;
  /** Where it sits while not flying (the space's placement, or the origin). */
  readonly placement: () => Placement;
  readonly selected?: boolean;
  readonly space?: ObjectHandle;
  readonly itemId?: string;
}

/** Up to this camera distance the model is drawn at its real size (metres). */
const CLOSE_DISTANCE = 500;
const at = new Vector3();

export function Airplane3D({
  handle,
  placement,
  selected = false,
  space,
  itemId,
}: Airplane3DProps): React.JSX.Element {
  const state = useViewState(handle, 'airplane') ?? AIRPLANE_BEFORE_STATE;
  const root = useRef<Group>(null);
  const model = useRef<Group>(null);
  const livery = useLivery(state.livery);

  useEffect(() => () => void shownPoses.delete(handle), [handle]);

  useFrame(({ camera }) => {
    const g = root.current;
    if (!g) return;
    const now = Date.now();
    const pose = state.stream ? poseStore.pose(handle, now) : undefined;
    const place = placement();
    if (pose) {
      g.position.fromArray(pose.position);
      g.quaternion.fromArray(pose.orientation);
    } else {
      g.position.fromArray(place.position);
      g.quaternion.fromArray(place.rotation);
    }
    const s = screenScale(camera, g.getWorldPosition(at), CLOSE_DISTANCE);
    model.current?.scale.set(place.scale[0] * s, place.scale[1] * s, place.scale[2] * s);
    shownPoses.set(handle, {
      position: toVec3(g.position),
      orientation: [g.quaternion.x, g.quaternion.y, g.quaternion.z, g.quaternion.w],
      mode: pose ? pose.mode : 'placed',
      callsign: state.callsign,
      ...(space ? { space } : {}),
      ...(itemId ? { itemId } : {}),
      at: now,
    });
  });

  return (
    <group ref={root} userData={{ airplaneHandle: handle, noFit: true }}>
      <group ref={model}>
        <AirplaneModel color={state.color} livery={livery} selected={selected} />
        <SceneLabel position={[0, 10, 0]} center zIndexRange={[20, 0]} style={{ pointerEvents: 'none' }}>
          <div
            className={`airplane-label${selected ? ' selected' : ''}`}
            data-testid="airplane-label"
            data-handle={handle}
            data-flying={state.stream ? 'true' : 'false'}
          >
            {state.callsign || 'Airplane'}
          </div>
        </SceneLabel>
      </group>
    </group>
  );
}

/** Opens the bound livery (a Texture: an image object) only while there is one. */
function useLivery(reference: string | null) {
  const opened = useOpenReference(reference, 'the livery');
  const handle = reference && opened.status === 'open' ? opened.object.handle : undefined;
  const image = useViewState(handle ?? '', 'image');
  return useImageTexture(handle ? image : undefined);
}
