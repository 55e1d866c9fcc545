// Sky, lights and a ground grid whose cell size follows the camera distance, so the grid reads
// both around a building (metres) and over a map (tens of kilometres).
import { useFrame } from '@react-three/fiber';
import { useRef } from 'react';
import type { GridHelper } from 'three';

export function SceneBasics(): React.JSX.Element {
  return (
    <>
      <color attach="background" args={['#cddbe8']} />
      <hemisphereLight args={['#f4f8ff', '#7d8a6a', 0.9]} />
      <directionalLight position={[0.6, 1, 0.4]} intensity={1.6} />
      <ambientLight intensity={0.25} />
      <AdaptiveGrid />
    </>
  );
}

/** 100 × 100 units, 10 divisions: scaled by a power of ten of the camera's height. */
function AdaptiveGrid(): React.JSX.Element {
  const ref = useRef<GridHelper>(null);
  useFrame(({ camera }) => {
    const g = ref.current;
    if (!g) return;
    const height = Math.max(1, Math.abs(camera.position.y), camera.position.length() * 0.2);
    const s = 10 ** Math.round(Math.log10(height / 4));
    const cell = s * 10;
    g.scale.setScalar(s);
    // Centred under the camera (snapped to a cell so lines do not swim).
    g.position.set(
      Math.round(camera.position.x / cell) * cell,
      -3,
      Math.round(camera.position.z / cell) * cell,
    );
  });
  return <gridHelper ref={ref} args={[100, 10, '#8a9bb0', '#a9b8c8']} raycast={() => undefined} />;
}
