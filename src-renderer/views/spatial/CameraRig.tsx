// This user's camera (local state, never replicated): orbit controls by default, or bound to an
// airplane's shown pose in follow mode. Frames the scene's content until the user takes over.
import { OrbitControls } from '@react-three/drei';
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useEffectEvent, useRef } from 'react';
import type { Object3D, PerspectiveCamera } from 'three';
import { Vector3 } from 'three';
import type { OrbitControls as OrbitControlsImpl } from 'three-stdlib';
import type { Vec3 } from '../../../src-shared/spatial/vec';
import { rotate3 } from '../../../src-shared/spatial/vec';
import type { ShownPose } from './scene-registry';
import { projectors, shownCameras } from './scene-registry';
import { fitBox, toVec3 } from './scene-utils';
import { useSpatialLocal } from './spatial-local';

export interface CameraRigProps {
  /** Keys the remembered camera (the viewed object's reference, so it survives reconnects). */
  readonly cameraKey: string;
  /** Registers the camera in the debug hook under this handle. */
  readonly handle: string;
  readonly fitRoot: React.RefObject<Object3D | null>;
  /** While set, the camera rides behind what it returns. */
  readonly follow?: (() => ShownPose | undefined) | undefined;
  /** Bumped to frame the content again ("Fit"). */
  readonly fitSignal: number;
  readonly initial?: { position: Vec3; target: Vec3 };
}

const remembered = new Map<string, { position: Vec3; target: Vec3 }>();
const DEFAULT_VIEW = { position: [0, 220, 420] as Vec3, target: [0, 0, 0] as Vec3 };
/** Behind and above the airplane, looking at a point ahead of it, in metres (nose is +z). */
const FOLLOW_BACK = 110;
const FOLLOW_UP = 32;
const FOLLOW_AHEAD = 40;
const NOSE: Vec3 = [0, 0, 1];

export function CameraRig({
  cameraKey,
  handle,
  fitRoot,
  follow,
  fitSignal,
  initial,
}: CameraRigProps): React.JSX.Element {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const element = useThree((s) => s.gl.domElement);
  const controls = useRef<OrbitControlsImpl>(null);
  const dragging = useSpatialLocal((s) => s.dragging);
  const userMoved = useRef(remembered.has(cameraKey));
  const fittedSize = useRef(0);
  const frame = useRef(0);
  const lastFollowed = useRef<Vec3 | null>(null);

  // The object's own first view, read when the viewed object changes (not a reason to move the
  // camera by itself: afterwards the controls own it).
  const initialView = useEffectEvent(() => initial ?? DEFAULT_VIEW);

  // Restore this user's camera; remember it when the view goes.
  useEffect(() => {
    const view = remembered.get(cameraKey) ?? initialView();
    const orbit = controls.current;
    camera.position.fromArray(view.position);
    orbit?.target.fromArray(view.target);
    camera.lookAt(new Vector3(...view.target));
    orbit?.update();
    return () => {
      remembered.set(cameraKey, {
        position: toVec3(camera.position),
        target: orbit ? toVec3(orbit.target) : view.target,
      });
      shownCameras.delete(handle);
    };
  }, [cameraKey, camera, handle]);

  useEffect(() => {
    projectors.set(handle, (point) => {
      const v = new Vector3(...point).project(camera);
      if (v.z > 1 || v.z < -1) return undefined;
      const rect = element.getBoundingClientRect();
      return { x: rect.left + ((v.x + 1) / 2) * rect.width, y: rect.top + ((1 - v.y) / 2) * rect.height };
    });
    return () => void projectors.delete(handle);
  }, [handle, camera, element]);

  useEffect(() => {
    if (fitSignal === 0) return;
    const size = frameContent(camera, controls.current, fitRoot.current, -Infinity);
    if (size !== undefined) fittedSize.current = size;
  }, [fitSignal, camera, fitRoot]);

  // Leaving follow mode: orbit around where the airplane was.
  useEffect(() => {
    if (follow || !lastFollowed.current || !controls.current) return;
    controls.current.target.fromArray(lastFollowed.current);
    controls.current.update();
    lastFollowed.current = null;
  }, [follow]);

  useFrame(() => {
    frame.current += 1;
    const pose = follow?.();
    if (pose) {
      // The nose's level heading (+z when it points straight up or down), from the pose's tuples.
      const [nx, , nz] = rotate3(pose.orientation, NOSE);
      const level = Math.hypot(nx, nz);
      const fx = level < 1e-3 ? 0 : nx / level;
      const fz = level < 1e-3 ? 1 : nz / level;
      const [px, py, pz] = pose.position;
      camera.position.set(px - fx * FOLLOW_BACK, py + FOLLOW_UP, pz - fz * FOLLOW_BACK);
      camera.lookAt(px + fx * FOLLOW_AHEAD, py, pz + fz * FOLLOW_AHEAD);
      lastFollowed.current = pose.position;
    } else if (!userMoved.current && frame.current % 20 === 0) {
      // Again only when the content grew by more than a fifth since.
      const size = frameContent(camera, controls.current, fitRoot.current, fittedSize.current * 1.2);
      if (size !== undefined) fittedSize.current = size;
    }
    const target = pose ? pose.position : controls.current ? toVec3(controls.current.target) : [0, 0, 0];
    shownCameras.set(handle, {
      position: toVec3(camera.position),
      target: target as Vec3,
      mode: pose ? 'follow' : 'orbit',
    });
  });

  return follow ? (
    <></>
  ) : (
    <OrbitControls
      ref={controls}
      makeDefault
      enabled={!dragging}
      enableDamping={false}
      maxPolarAngle={Math.PI / 2 - 0.01}
      maxDistance={3e6}
      minDistance={5}
      onStart={() => {
        userMoved.current = true;
      }}
    />
  );
}

/**
 * Points the camera at everything under `root` when that measures more than `unlessWithin`
 * (its bounding box's diagonal); returns the size it framed, undefined when it did nothing.
 */
function frameContent(
  camera: PerspectiveCamera,
  controls: OrbitControlsImpl | null,
  root: Object3D | null,
  unlessWithin: number,
): number | undefined {
  if (!root) return undefined;
  const box = fitBox(root);
  if (box.isEmpty()) return undefined;
  const size = box.getSize(new Vector3()).length();
  if (size <= unlessWithin) return undefined;
  const center = box.getCenter(new Vector3());
  const radius = Math.max(30, size / 2);
  // Fit the narrower of the two view angles (windows are often tall and thin).
  const half = Math.tan((camera.fov * Math.PI) / 360);
  const distance = radius / (half * Math.min(1, camera.aspect || 1));
  const dir = new Vector3(0, 0.55, 1).normalize();
  camera.position.copy(center).addScaledVector(dir, distance);
  controls?.target.copy(center);
  camera.lookAt(center);
  controls?.update();
  return size;
}
