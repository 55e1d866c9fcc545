// One placed object of a space: opens its reference while placed (closed when removed, like
// desktop items) and shows its 3D view at its transform. Selecting and dragging are reported
// to the space, which owns the intents.
import type { ThreeEvent } from '@react-three/fiber';
import { useFrame } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import type { Group } from 'three';
import type { ObjectHandle, OpenedObject } from '../../../src-shared/bridge/protocol';
import type { PlacedObject, Placement } from '../../../src-shared/spatial/placement';
import { useOpenReference } from '../useOpenReference';
import { Airplane3D } from './Airplane3D';
import { Building3D } from './Building3D';
import { Map3D } from './Map3D';
import { shownObjects } from './scene-registry';
import { spatialLocal } from './spatial-local';
import { Tracks3D } from './Tracks3D';
import { SceneLabel } from './SceneLabel';

export interface SpaceObjectProps {
  readonly space: ObjectHandle;
  readonly item: PlacedObject;
  readonly selected: boolean;
  /** A local position while this user drags the object (ahead of the replicated one). */
  readonly preview: () => Placement['position'] | undefined;
  onSelect(): void;
  onDragStart(e: ThreeEvent<PointerEvent>): void;
}

/** Kinds that move by their stream in the space's frame, not inside their placement. */
const STREAMED = new Set(['airplane', 'flights', 'coordinates']);

export function SpaceObject({
  space,
  item,
  selected,
  preview,
  onSelect,
  onDragStart,
}: SpaceObjectProps): React.JSX.Element {
  const opened = useOpenReference(item.reference, item.title ?? 'a placed object');
  const object = opened.status === 'open' ? opened.object : undefined;
  const kind = object?.kind ?? item.kind ?? 'object';
  // Called every frame (useFrame runs the latest render's callbacks), so it sees the latest item.
  const placement = (): Placement => ({
    position: preview() ?? item.position,
    rotation: item.rotation,
    scale: item.scale,
  });
  const placed = useRef<Group>(null);

  useEffect(() => {
    spatialLocal.getState().setOpened(space, item.id, object);
    return () => spatialLocal.getState().setOpened(space, item.id, undefined);
  }, [space, item.id, object]);

  useEffect(() => () => void shownObjects.delete(`${space} ${item.id}`), [space, item.id]);

  useFrame(() => {
    const p = placement();
    const g = placed.current;
    if (g) {
      g.position.fromArray(p.position);
      g.quaternion.fromArray(p.rotation);
      g.scale.fromArray(p.scale);
    }
    shownObjects.set(`${space} ${item.id}`, {
      space,
      id: item.id,
      kind,
      title: item.title ?? object?.title ?? kind,
      ...(object ? { handle: object.handle } : {}),
      reference: item.reference,
      ...p,
    });
  });

  const events = {
    onClick: (e: ThreeEvent<MouseEvent>) => {
      e.stopPropagation();
      onSelect();
    },
    onPointerDown: (e: ThreeEvent<PointerEvent>) => {
      if (selected && e.button === 0) onDragStart(e);
    },
  };

  if (object?.kind === 'airplane') {
    return (
      <group {...events}>
        <Airplane3D
          handle={object.handle}
          placement={placement}
          selected={selected}
          space={space}
          itemId={item.id}
        />
      </group>
    );
  }
  return (
    <group {...events}>
      <group ref={placed}>
        {object ? (
          <Content object={object} selected={selected} />
        ) : (
          <Placeholder kind={kind} failed={opened.status === 'failed' ? opened.message : undefined} />
        )}
      </group>
      {object && STREAMED.has(object.kind) && <Tracks3D handle={object.handle} />}
    </group>
  );
}

function Content({ object, selected }: { object: OpenedObject; selected: boolean }): React.JSX.Element {
  switch (object.kind) {
    case 'building':
      return <Building3D handle={object.handle} selected={selected} />;
    case 'map':
      return <Map3D handle={object.handle} mapKey={object.reference.trim()} />;
    case 'flights':
    case 'coordinates':
      // The stream's anchor: something to select, move and remove; its tracks fly in the space's frame.
      return <StreamAnchor selected={selected} />;
    default:
      return <Placeholder kind={object.kind} />;
  }
}

function StreamAnchor({ selected }: { selected: boolean }): React.JSX.Element {
  return (
    <group userData={{ noFit: true }}>
      <mesh position={[0, 6, 0]}>
        <cylinderGeometry args={[0.6, 0.6, 12, 8]} />
        <meshStandardMaterial color={selected ? '#2f5bff' : '#5b6472'} />
      </mesh>
      <mesh position={[0, 12, 0]}>
        <sphereGeometry args={[2, 16, 12]} />
        <meshStandardMaterial color="#f0a020" emissive="#f0a020" emissiveIntensity={0.4} />
      </mesh>
    </group>
  );
}

function Placeholder({ kind, failed }: { kind: string; failed?: string | undefined }): React.JSX.Element {
  return (
    <group>
      <mesh position={[0, 5, 0]}>
        <boxGeometry args={[10, 10, 10]} />
        <meshStandardMaterial color={failed ? '#d9534f' : '#9aa5b4'} wireframe={!failed} />
      </mesh>
      <SceneLabel position={[0, 14, 0]} center zIndexRange={[15, 0]} style={{ pointerEvents: 'none' }}>
        <div
          className={`space3d-placeholder${failed ? ' error' : ''}`}
          data-testid={failed ? 'space3d-item-error' : 'space3d-placeholder'}
          data-kind={kind}
        >
          {failed ?? kind}
        </div>
      </SceneLabel>
    </group>
  );
}
