// A live map on the ground plane: the area as a plane, country borders and coastlines from the
// bundled atlas, and the shared annotations as pins. In annotate mode a click adds one.
import type { ThreeEvent } from '@react-three/fiber';
import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo, useRef } from 'react';
import type { Group } from 'three';
import { BufferGeometry, Float32BufferAttribute, Vector3 } from 'three';
import type { ObjectHandle } from '../../../src-shared/bridge/protocol';
import type { GeoArea } from '../../../src-shared/spatial/geodata';
import { DEFAULT_AREA, unprojectXZ } from '../../../src-shared/spatial/geodata';
import { useViewState } from '../../app/stores/replicas';
import { useAct } from '../useAct';
import { areaPlane } from './map-geometry';
import { areaOutlineSegments } from './map-outlines';
import { screenScale } from './scene-utils';
import type { MapAnnotation } from '../../../src-shared/bridge/view-state';
import { MAP_BEFORE_STATE } from './spatial-state';
import { spatialLocal, useAnnotate } from './spatial-local';
import { SceneLabel } from './SceneLabel';

export interface Map3DProps {
  readonly handle: ObjectHandle;
  /** Keys this user's annotate mode (the map's reference). */
  readonly mapKey: string;
}

const HALF_PI = Math.PI / 2;
const OUTLINE_Y = 1;

export function Map3D({ handle, mapKey }: Map3DProps): React.JSX.Element {
  const state = useViewState(handle, 'map') ?? MAP_BEFORE_STATE;
  const { area } = state;
  const plane = useMemo(() => areaPlane(area), [area]);
  const outlines = useOutlineGeometry(area, OUTLINE_Y);
  const annotate = useAnnotate(mapKey);
  const group = useRef<Group>(null);

  const act = useAct(handle, 'The map did not take the change');

  const onClick = (e: ThreeEvent<MouseEvent>) => {
    if (!annotate.on || !group.current) return;
    e.stopPropagation();
    const p = group.current.worldToLocal(e.point.clone());
    const [lon, lat] = unprojectXZ(area, p.x, p.z);
    act({ kind: 'map.annotate', lon, lat, text: annotate.text.trim() || 'Note' });
    spatialLocal.getState().setAnnotate(mapKey, { on: false });
  };

  return (
    <group ref={group}>
      <mesh position={[plane.center[0], -1, plane.center[1]]} rotation={[-HALF_PI, 0, 0]} onClick={onClick}>
        <planeGeometry args={[plane.width, plane.depth]} />
        <meshStandardMaterial color="#dfe6d0" roughness={1} />
      </mesh>
      <lineSegments geometry={outlines} raycast={() => undefined}>
        <lineBasicMaterial color="#4a5a70" />
      </lineSegments>
      {state.annotations.map((a) => (
        <AnnotationPin key={a.id} annotation={a} onRemove={() => act({ kind: 'map.unannotate', id: a.id })} />
      ))}
    </group>
  );
}

const at = new Vector3();

/** Just the borders of an area (context under a stream's tracks; simulated flights use DEFAULT_AREA). */
export function AreaOutlines({ area = DEFAULT_AREA }: { area?: GeoArea }): React.JSX.Element {
  const geometry = useOutlineGeometry(area, 0);
  return (
    <lineSegments geometry={geometry} raycast={() => undefined} userData={{ noFit: true }}>
      <lineBasicMaterial color="#7a8aa0" />
    </lineSegments>
  );
}

/**
 * The area's borders and coastlines at height `y` as one LineSegments geometry. Rebuilt only when
 * the bounds change: a map's state (and so its parsed area) is new with every annotation, but
 * areaOutlineSegments returns the same array for the same bounds.
 */
function useOutlineGeometry(area: GeoArea, y: number): BufferGeometry {
  const segments = areaOutlineSegments(area, y);
  const geometry = useMemo(() => {
    const g = new BufferGeometry();
    g.setAttribute('position', new Float32BufferAttribute(segments, 3));
    return g;
  }, [segments]);
  useEffect(() => () => geometry.dispose(), [geometry]);
  return geometry;
}

function AnnotationPin({
  annotation,
  onRemove,
}: {
  annotation: MapAnnotation;
  onRemove: () => void;
}): React.JSX.Element {
  const pin = useRef<Group>(null);
  useFrame(({ camera }) => {
    const g = pin.current;
    if (g) g.scale.setScalar(screenScale(camera, g.getWorldPosition(at), 400));
  });
  return (
    <group position={[annotation.x, 0, annotation.z]} userData={{ noFit: true }}>
      <group ref={pin}>
        <mesh position={[0, 6, 0]} rotation={[Math.PI, 0, 0]}>
          <coneGeometry args={[2, 12, 12]} />
          <meshStandardMaterial color="#e0413a" />
        </mesh>
        <mesh position={[0, 13, 0]}>
          <sphereGeometry args={[3, 16, 12]} />
          <meshStandardMaterial color="#e0413a" />
        </mesh>
        <SceneLabel position={[0, 18, 0]} center zIndexRange={[20, 0]} style={{ pointerEvents: 'auto' }}>
          <div
            className="map-annotation"
            data-testid="map-annotation"
            data-annotation-id={annotation.id}
            title={`${annotation.lat.toFixed(4)}, ${annotation.lon.toFixed(4)}`}
          >
            <span className="map-annotation-text">{annotation.text}</span>
            {annotation.author && <span className="map-annotation-author">{annotation.author}</span>}
            <button
              type="button"
              className="map-annotation-remove"
              data-testid="map-annotation-remove"
              aria-label={`Remove "${annotation.text}"`}
              onClick={onRemove}
            >
              ×
            </button>
          </div>
        </SceneLabel>
      </group>
    </group>
  );
}
