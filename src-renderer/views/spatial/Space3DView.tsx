// A shared 3D space: every placed object opened and shown with its 3D view at its replicated
// transform. Camera, selection and follow mode are this user's; placing, moving, rotating and
// removing go to the space as intents. Drops hit-test the scene: an airplane under the pointer
// receives the reference (bind), otherwise the space places it on the ground there.
import type { RootState, ThreeEvent } from '@react-three/fiber';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Group } from 'three';
import type { Intent, OpenedObject } from '../../../src-shared/bridge/protocol';
import type { PlacedObject } from '../../../src-shared/spatial/placement';
import type { Vec3 } from '../../../src-shared/spatial/vec';
import { axisAngleQ, multiplyQ } from '../../../src-shared/spatial/vec';
import { useBridge } from '../../app/BridgeContext';
import { useViewState } from '../../app/stores/replicas';
import { dropInputOf, isEditableTarget } from '../dom-drop';
import { acceptsDrag, classifyDrop } from '../drop-data';
import { DropRefusal, useDropRefusal } from '../DropRefusal';
import { useAct } from '../useAct';
import { ObjectControls } from './ObjectControls';
import { FitButton, SceneCanvas } from './SceneCanvas';
import { shownCameras, shownPoseOfItem } from './scene-registry';
import { dropHits, raycasterAt, rayOf } from './scene-utils';
import type { SpaceDropTarget } from './space-drop';
import { groundPoint, performSpaceDrop, resolveDropTarget, toCentimetres } from './space-drop';
import { SpaceObject } from './SpaceObject';
import { placedObjects } from './spatial-state';
import { spatialLocal, useCameraMode, useSpatialLocal } from './spatial-local';

/** Moves are sent at most this often while dragging, and once more on release. */
const MOVE_EVERY_MS = 120;
/** A dragged position is shown until the replica catches up, or this long after release. */
const PREVIEW_HOLD_MS = 2_000;
const ROTATE_STEP = Math.PI / 12;

export function Space3DView({ object }: { object: OpenedObject }): React.JSX.Element {
  const bridge = useBridge();
  const { handle, reference } = object;
  const spaceKey = reference.trim();
  const objects = useViewState(handle, 'space3d')?.objects;
  const items = useMemo(() => placedObjects(objects), [objects]);
  const selected = useSpatialLocal((s) => s.selection[spaceKey]);
  const cameraMode = useCameraMode(spaceKey);
  const three = useRef<RootState | null>(null);
  const content = useRef<Group>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const previews = useRef(new Map<string, { position: Vec3; until: number }>());
  const { refusal, refuseAt, dismiss, keep } = useDropRefusal(rootRef);
  const [dragOver, setDragOver] = useState(false);
  const [fitSignal, setFitSignal] = useState(0);
  const selectedItem = items.find((i) => i.id === selected);

  const act = useAct(handle, 'The space did not take the change');

  // Forget selection and follow mode of objects that were removed.
  useEffect(() => {
    const ids = new Set(items.map((i) => i.id));
    const local = spatialLocal.getState();
    if (selected && !ids.has(selected)) local.select(spaceKey, undefined);
    if (cameraMode.mode === 'follow' && !ids.has(cameraMode.itemId))
      local.setCamera(spaceKey, { mode: 'orbit' });
  }, [items, selected, cameraMode, spaceKey]);

  // Called from the objects' frame loops.
  const previewOf = useCallback(
    (id: string): Vec3 | undefined => {
      const p = previews.current.get(id);
      if (!p) return undefined;
      const item = items.find((i) => i.id === id);
      const caughtUp =
        item &&
        p.until !== Infinity &&
        item.position.every((v, k) => Math.abs(v - (p.position[k] ?? 0)) < 0.01);
      if (caughtUp || Date.now() > p.until) {
        previews.current.delete(id);
        return undefined;
      }
      return p.position;
    },
    [items],
  );

  const dropTargetAt = (clientX: number, clientY: number): SpaceDropTarget => {
    const st = three.current;
    const fallback = shownCameras.get(handle)?.target ?? [0, 0, 0];
    if (!st || !content.current) return { kind: 'space', position: fallback };
    const raycaster = raycasterAt(st.gl.domElement, st.camera, clientX, clientY);
    return resolveDropTarget(dropHits(raycaster, content.current), rayOf(raycaster), fallback);
  };

  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setDragOver(false);
    const { clientX, clientY } = e;
    const payloads = classifyDrop(dropInputOf(e.dataTransfer));
    const target = dropTargetAt(clientX, clientY);
    void performSpaceDrop(
      { bridge, spaceHandle: handle, refuse: (reason, why) => refuseAt(reason, clientX, clientY, why) },
      target,
      payloads,
    );
  };

  const startDrag = (item: PlacedObject, e: ThreeEvent<PointerEvent>) => {
    const st = three.current;
    if (!st) return;
    e.stopPropagation();
    const planeY = item.position[1];
    const hitAt = (x: number, y: number) =>
      groundPoint(rayOf(raycasterAt(st.gl.domElement, st.camera, x, y)), planeY);
    const start = hitAt(e.nativeEvent.clientX, e.nativeEvent.clientY);
    if (!start) return;
    const offset = [item.position[0] - start[0], item.position[2] - start[2]] as const;
    spatialLocal.getState().setDragging(true);
    let latest: Vec3 | undefined;
    let lastSent = 0;
    const send = () => {
      if (!latest) return;
      lastSent = Date.now();
      act({ kind: 'space3d.move', id: item.id, position: latest });
    };
    const move = (ev: PointerEvent) => {
      const p = hitAt(ev.clientX, ev.clientY);
      if (!p) return;
      latest = [toCentimetres(p[0] + offset[0]), planeY, toCentimetres(p[2] + offset[1])];
      previews.current.set(item.id, { position: latest, until: Infinity });
      if (Date.now() - lastSent >= MOVE_EVERY_MS) send();
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      spatialLocal.getState().setDragging(false);
      if (!latest) return;
      send();
      previews.current.set(item.id, { position: latest, until: Date.now() + PREVIEW_HOLD_MS });
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (isEditableTarget(e.target)) return;
    const local = spatialLocal.getState();
    if (e.key === 'Escape') {
      local.select(spaceKey, undefined);
      local.setCamera(spaceKey, { mode: 'orbit' });
    } else if (selectedItem && (e.key === 'Delete' || e.key === 'Backspace')) {
      act({ kind: 'space3d.remove', id: selectedItem.id });
    } else if (selectedItem && e.key.startsWith('Arrow')) {
      const step = e.shiftKey ? 100 : 10;
      const [x, y, z] = selectedItem.position;
      const dx = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : 0;
      const dz = e.key === 'ArrowUp' ? -step : e.key === 'ArrowDown' ? step : 0;
      act({ kind: 'space3d.move', id: selectedItem.id, position: [x + dx, y, z + dz] });
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  const follow = cameraMode.mode === 'follow' ? () => shownPoseOfItem(handle, cameraMode.itemId) : undefined;

  return (
    <div
      ref={rootRef}
      className={`space3d${dragOver ? ' drag-over' : ''}`}
      data-testid="space3d-drop-target"
      data-handle={handle}
      tabIndex={0}
      aria-label={`3D space ${object.title}`}
      onKeyDown={onKeyDown}
      onDragOver={(e) => {
        if (!acceptsDrag([...e.dataTransfer.types])) return;
        e.preventDefault();
        e.stopPropagation();
        e.dataTransfer.dropEffect = 'copy';
        if (!dragOver) setDragOver(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragOver(false);
      }}
      onDrop={onDrop}
    >
      <SceneCanvas
        cameraKey={spaceKey}
        handle={handle}
        content={content}
        follow={follow}
        fitSignal={fitSignal}
        onCreated={(state) => {
          three.current = state;
        }}
        onPointerMissed={(e) => {
          if (e.button === 0) spatialLocal.getState().select(spaceKey, undefined);
        }}
      >
        {items.map((item) => (
          <SpaceObject
            key={item.id}
            space={handle}
            item={item}
            selected={item.id === selected}
            preview={() => previewOf(item.id)}
            onSelect={() => spatialLocal.getState().select(spaceKey, item.id)}
            onDragStart={(e) => startDrag(item, e)}
          />
        ))}
      </SceneCanvas>
      <div className="space3d-toolbar">
        <span className="space3d-count" data-testid="space3d-count" data-count={items.length}>
          {items.length === 1 ? '1 object' : `${items.length} objects`}
        </span>
        <FitButton onFit={() => setFitSignal((n) => n + 1)} />
        {cameraMode.mode === 'follow' && (
          <button
            type="button"
            className="button small primary"
            data-testid="space3d-unfollow"
            onClick={() => spatialLocal.getState().setCamera(spaceKey, { mode: 'orbit' })}
          >
            Stop following
          </button>
        )}
      </div>
      {items.length === 0 && (
        <div className="space3d-hint" data-testid="space3d-empty">
          Drag an airplane, building or map from the Toolbox into the space.
        </div>
      )}
      {selectedItem && (
        <SelectionPanel
          space={handle}
          spaceKey={spaceKey}
          item={selectedItem}
          following={cameraMode.mode === 'follow' && cameraMode.itemId === selectedItem.id}
          act={act}
        />
      )}
      {refusal && <DropRefusal key={refusal.id} refusal={refusal} onDismiss={dismiss} onKeep={keep} />}
    </div>
  );
}

function SelectionPanel({
  space,
  spaceKey,
  item,
  following,
  act,
}: {
  space: string;
  spaceKey: string;
  item: PlacedObject;
  following: boolean;
  act: (intent: Intent) => void;
}): React.JSX.Element {
  const opened = useSpatialLocal((s) => s.opened[space]?.[item.id]);
  const rotate = (angle: number) =>
    act({
      kind: 'space3d.rotate',
      id: item.id,
      rotation: multiplyQ(axisAngleQ([0, 1, 0], angle), item.rotation),
    });
  return (
    <div
      className="space3d-selection"
      data-testid="space3d-selection"
      data-item-id={item.id}
      data-kind={opened?.kind ?? item.kind}
    >
      <div className="space3d-selection-head">
        <strong>{item.title ?? opened?.title ?? 'Object'}</strong>
        <span className="kind-badge">{opened?.kind ?? item.kind ?? '…'}</span>
      </div>
      <div className="space3d-selection-actions">
        <button
          type="button"
          className="button small ghost"
          data-testid="space3d-rotate-left"
          onClick={() => rotate(ROTATE_STEP)}
        >
          ⟲
        </button>
        <button
          type="button"
          className="button small ghost"
          data-testid="space3d-rotate-right"
          onClick={() => rotate(-ROTATE_STEP)}
        >
          ⟳
        </button>
        {opened?.kind === 'airplane' && (
          <button
            type="button"
            className={`button small${following ? ' primary' : ' ghost'}`}
            data-testid="space3d-follow"
            aria-pressed={following}
            onClick={() =>
              spatialLocal
                .getState()
                .setCamera(spaceKey, following ? { mode: 'orbit' } : { mode: 'follow', itemId: item.id })
            }
          >
            {following ? 'Following' : 'Follow'}
          </button>
        )}
        <button
          type="button"
          className="button small ghost"
          data-testid="space3d-remove"
          onClick={() => act({ kind: 'space3d.remove', id: item.id })}
        >
          Remove
        </button>
      </div>
      {opened && <ObjectControls object={opened} />}
    </div>
  );
}
