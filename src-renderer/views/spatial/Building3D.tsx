// A building: its footprint extruded to its height, in its replicated colour.
import { useEffect, useMemo } from 'react';
import type { ObjectHandle } from '../../../src-shared/bridge/protocol';
import { useViewState } from '../../app/stores/replicas';
import { BUILDING_ROTATION, buildingGeometry } from './building-geometry';
import type { BuildingState } from './spatial-state';
import { BUILDING_BEFORE_STATE } from './spatial-state';

export function Building3D({
  handle,
  selected = false,
}: {
  handle: ObjectHandle;
  selected?: boolean;
}): React.JSX.Element {
  const state = useViewState(handle, 'building') ?? BUILDING_BEFORE_STATE;
  // Rebuilt only when the shape changes (the state is new with every colour change too): the
  // memo's key is the shape itself.
  const shape = JSON.stringify([state.footprint, state.height]);
  const geometry = useMemo(() => {
    const [footprint, height] = JSON.parse(shape) as [BuildingState['footprint'], number];
    return buildingGeometry(footprint, height);
  }, [shape]);
  useEffect(() => () => geometry.dispose(), [geometry]);
  return (
    <mesh geometry={geometry} rotation={BUILDING_ROTATION}>
      <meshStandardMaterial
        color={state.color}
        emissive={selected ? '#2f5bff' : '#000000'}
        emissiveIntensity={0.3}
        roughness={0.8}
      />
    </mesh>
  );
}
