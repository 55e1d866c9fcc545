// The canvas every 3D view draws into: renderer and camera options, sky, lights and grid, the
// content group the camera frames, and this user's camera rig; over it, the layer its DOM
// labels attach to (SceneLabel). Also the toolbar's Fit button.
import { useRef } from 'react';
import type { RootState } from '@react-three/fiber';
import { Canvas } from '@react-three/fiber';
import type { Group } from 'three';
import type { Vec3 } from '../../../src-shared/spatial/vec';
import type { CameraRigProps } from './CameraRig';
import { CameraRig } from './CameraRig';
import { SceneBasics } from './SceneBasics';
import { LabelLayer } from './SceneLabel';

const GL_OPTIONS = {
  preserveDrawingBuffer: true,
  logarithmicDepthBuffer: true,
  antialias: true,
} as const;
const CAMERA_OPTIONS = { fov: 50, near: 0.5, far: 2e7, position: [0, 220, 420] as Vec3 };

export interface SceneCanvasProps extends Omit<CameraRigProps, 'fitRoot'> {
  /** The group holding the scene's objects: framed by the camera (and hit-tested by drops). */
  readonly content: React.RefObject<Group | null>;
  readonly onCreated?: (state: RootState) => void;
  readonly onPointerMissed?: (event: MouseEvent) => void;
  readonly children: React.ReactNode;
}

export function SceneCanvas({
  content,
  onCreated,
  onPointerMissed,
  children,
  ...rig
}: SceneCanvasProps): React.JSX.Element {
  const labels = useRef<HTMLDivElement>(null);
  return (
    <>
      <Canvas
        className="space3d-canvas"
        data-testid="space3d-canvas"
        data-handle={rig.handle}
        gl={GL_OPTIONS}
        camera={CAMERA_OPTIONS}
        onCreated={onCreated}
        onPointerMissed={onPointerMissed}
      >
        <LabelLayer value={labels}>
          <SceneBasics />
          <group ref={content}>{children}</group>
          <CameraRig {...rig} fitRoot={content} />
        </LabelLayer>
      </Canvas>
      <div className="scene-labels" ref={labels} />
    </>
  );
}

export function FitButton({ onFit }: { onFit: () => void }): React.JSX.Element {
  return (
    <button type="button" className="button small ghost" data-testid="space3d-fit" onClick={onFit}>
      Fit
    </button>
  );
}
