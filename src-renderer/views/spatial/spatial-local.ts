// Per-user 3D view state, never replicated: the selected object of each space, the camera mode
// (orbit or following an airplane), map annotation mode, and which objects each space has
// opened (so the HTML overlay can act on a selected object's own handle).
import { createStore, useStore } from 'zustand';
import type { OpenedObject } from '../../../src-shared/bridge/protocol';

export type CameraMode = { readonly mode: 'orbit' } | { readonly mode: 'follow'; readonly itemId: string };

const ORBIT: CameraMode = { mode: 'orbit' };
/** A map's annotate mode until this user changes it. */
const ANNOTATE_OFF = { on: false, text: 'Note' } as const;

interface SpatialLocalState {
  /** Keyed by the space's reference (survives reconnects). */
  readonly selection: Readonly<Record<string, string | undefined>>;
  readonly camera: Readonly<Record<string, CameraMode>>;
  /** Keyed by the map's reference: annotation mode on, and the text to add. */
  readonly annotate: Readonly<Record<string, { readonly on: boolean; readonly text: string }>>;
  /** Keyed by space handle, then item id. */
  readonly opened: Readonly<Record<string, Readonly<Record<string, OpenedObject>>>>;
  /** True while an object is being dragged (orbit controls pause). */
  readonly dragging: boolean;
  select(space: string, id: string | undefined): void;
  setCamera(space: string, mode: CameraMode): void;
  setAnnotate(map: string, patch: { on?: boolean; text?: string }): void;
  setOpened(space: string, id: string, object: OpenedObject | undefined): void;
  setDragging(dragging: boolean): void;
}

export function createSpatialLocalStore() {
  return createStore<SpatialLocalState>()((set) => ({
    selection: {},
    camera: {},
    annotate: {},
    opened: {},
    dragging: false,
    select: (space, id) => set(({ selection }) => ({ selection: { ...selection, [space]: id } })),
    setCamera: (space, mode) => set(({ camera }) => ({ camera: { ...camera, [space]: mode } })),
    setAnnotate: (map, patch) =>
      set(({ annotate }) => ({
        annotate: { ...annotate, [map]: { ...ANNOTATE_OFF, ...annotate[map], ...patch } },
      })),
    setOpened: (space, id, object) =>
      set(({ opened }) => {
        const { [id]: _gone, ...rest } = opened[space] ?? {};
        return { opened: { ...opened, [space]: object ? { ...rest, [id]: object } : rest } };
      }),
    setDragging: (dragging) => set({ dragging }),
  }));
}

export const spatialLocal = createSpatialLocalStore();

export function useSpatialLocal<T>(selector: (s: SpatialLocalState) => T): T {
  return useStore(spatialLocal, selector);
}

export function useCameraMode(space: string): CameraMode {
  return useSpatialLocal((s) => s.camera[space] ?? ORBIT);
}

export function useAnnotate(map: string): { readonly on: boolean; readonly text: string } {
  return useSpatialLocal((s) => s.annotate[map] ?? ANNOTATE_OFF);
}
