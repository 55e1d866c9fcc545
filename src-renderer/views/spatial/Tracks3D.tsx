// Every track of a coordinate stream (flights or coordinates) as a small marker with a trail.
// The track list is polled (it changes rarely); positions are evaluated every frame.
import { useFrame } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Group } from 'three';
import { BufferAttribute, BufferGeometry, Line, LineBasicMaterial, Vector3 } from 'three';
import type { ObjectHandle } from '../../../src-shared/bridge/protocol';
import { useViewState } from '../../app/stores/replicas';
import { poseStore } from './pose-store';
import { screenScale } from './scene-utils';
import type { TrackInfo } from './spatial-state';
import { trackInfo } from './spatial-state';
import { SceneLabel } from './SceneLabel';

const POLL_MS = 500;
/** A trail point every TRAIL_STEP_MS, TRAIL_POINTS of them (30 s). */
const TRAIL_STEP_MS = 250;
const TRAIL_POINTS = 120;
const PALETTE = ['#e0413a', '#2f7de1', '#f0a020', '#2bb673', '#9b59b6', '#14a3b8', '#e65c9c', '#7a8b2a'];

export function Tracks3D({ handle }: { handle: ObjectHandle }): React.JSX.Element {
  const flights = useViewState(handle, 'flights');
  const info = useMemo(() => trackInfo(flights), [flights]);
  const [tracks, setTracks] = useState<readonly number[]>([]);
  useEffect(() => {
    const poll = () => {
      const next = poseStore.tracks(handle);
      setTracks((prev) => (prev.length === next.length && prev.every((t, i) => t === next[i]) ? prev : next));
    };
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => clearInterval(timer);
  }, [handle]);
  return (
    <group>
      {tracks.map((track) => (
        <TrackMarker key={track} handle={handle} track={track} info={info.get(track)} />
      ))}
    </group>
  );
}

const at = new Vector3();

function TrackMarker({
  handle,
  track,
  info,
}: {
  handle: ObjectHandle;
  track: number;
  info: TrackInfo | undefined;
}): React.JSX.Element {
  const color = info?.color ?? PALETTE[track % PALETTE.length] ?? '#e0413a';
  const marker = useRef<Group>(null);
  const body = useRef<Group>(null);
  const trail = useMemo(() => {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(new Float32Array(TRAIL_POINTS * 3), 3));
    geometry.setDrawRange(0, 0);
    const line = new Line(geometry, new LineBasicMaterial({ color, transparent: true, opacity: 0.7 }));
    line.frustumCulled = false;
    line.raycast = () => undefined;
    line.userData.noFit = true;
    return line;
  }, [color]);
  useEffect(
    () => () => {
      trail.geometry.dispose();
      (trail.material as LineBasicMaterial).dispose();
    },
    [trail],
  );
  const lastPush = useRef(0);
  const count = useRef(0);

  useFrame(({ camera }) => {
    const now = Date.now();
    const pose = poseStore.pose(handle, now, track);
    const g = marker.current;
    if (!pose || !g) return;
    g.position.fromArray(pose.position);
    g.quaternion.fromArray(pose.orientation);
    body.current?.scale.setScalar(screenScale(camera, g.getWorldPosition(at), 300));
    if (now - lastPush.current >= TRAIL_STEP_MS) {
      lastPush.current = now;
      const attr = trail.geometry.getAttribute('position') as BufferAttribute;
      const arr = attr.array as Float32Array;
      // Shift instead of a ring buffer so the line stays one continuous strip.
      if (count.current === TRAIL_POINTS) arr.copyWithin(0, 3);
      else count.current += 1;
      arr.set(pose.position, (count.current - 1) * 3);
      attr.needsUpdate = true;
      trail.geometry.setDrawRange(0, count.current);
    }
  });

  return (
    <>
      <primitive object={trail} />
      <group ref={marker}>
        <group ref={body} userData={{ noFit: true }}>
          <mesh rotation={[Math.PI / 2, 0, 0]}>
            <coneGeometry args={[3, 12, 10]} />
            <meshStandardMaterial color={color} />
          </mesh>
          <SceneLabel position={[0, 8, 0]} center zIndexRange={[15, 0]} style={{ pointerEvents: 'none' }}>
            <div className="track-label" data-testid="track-label" data-track={track}>
              {info?.callsign ?? `#${track}`}
            </div>
          </SceneLabel>
        </group>
      </group>
    </>
  );
}
