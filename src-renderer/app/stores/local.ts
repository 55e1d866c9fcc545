// Per-user view state that is never replicated: each desktop's zoom and scroll, and which
// item is selected. Keyed by the object's reference so it survives reconnects (new handles).
import { createStore, useStore } from 'zustand';

export interface Viewport {
  readonly zoom: number;
  readonly scrollX: number;
  readonly scrollY: number;
}

export const DEFAULT_VIEWPORT: Viewport = { zoom: 1, scrollX: 0, scrollY: 0 };
export const ZOOM_LIMITS = { min: 0.25, max: 2.5, step: 1.25 } as const;

/** The object the user touched last: what the menu's "Save/Copy reference" act on. */
export interface ActiveObject {
  readonly reference: string;
  readonly title: string;
}

interface LocalState {
  readonly active: ActiveObject | undefined;
  readonly viewports: Readonly<Record<string, Viewport>>;
  readonly selection: Readonly<Record<string, string | undefined>>;
  setZoom(key: string, zoom: number): void;
  zoomBy(key: string, factor: number): void;
  setScroll(key: string, scrollX: number, scrollY: number): void;
  select(key: string, itemId: string | undefined): void;
  setActive(active: ActiveObject | undefined): void;
}

export function clampZoom(zoom: number): number {
  if (!Number.isFinite(zoom)) return 1;
  return Math.round(Math.min(ZOOM_LIMITS.max, Math.max(ZOOM_LIMITS.min, zoom)) * 100) / 100;
}

export function createLocalStore() {
  return createStore<LocalState>()((set) => {
    const patch = (key: string, change: Partial<Viewport>) =>
      set(({ viewports }) => ({
        viewports: { ...viewports, [key]: { ...(viewports[key] ?? DEFAULT_VIEWPORT), ...change } },
      }));
    return {
      active: undefined,
      viewports: {},
      selection: {},
      setZoom: (key, zoom) => patch(key, { zoom: clampZoom(zoom) }),
      zoomBy: (key, factor) =>
        set(({ viewports }) => {
          const current = viewports[key] ?? DEFAULT_VIEWPORT;
          return {
            viewports: { ...viewports, [key]: { ...current, zoom: clampZoom(current.zoom * factor) } },
          };
        }),
      setScroll: (key, scrollX, scrollY) => patch(key, { scrollX, scrollY }),
      select: (key, itemId) => set(({ selection }) => ({ selection: { ...selection, [key]: itemId } })),
      setActive: (active) => set({ active }),
    };
  });
}

export const local = createLocalStore();

export function useViewport(key: string): Viewport {
  return useStore(local, (s) => s.viewports[key] ?? DEFAULT_VIEWPORT);
}

export function useSelection(key: string): string | undefined {
  return useStore(local, (s) => s.selection[key]);
}
