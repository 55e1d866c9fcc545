// The top-level object windows the user has open, and what the app knows about the host.
import type { HostInfo, ObjectHandle, OpenedObject, TemplateInfo } from '../../../src-shared/bridge/protocol';
import { createStore, useStore } from 'zustand';

export interface ObjectWindow {
  /** Stable across reconnects, when `object` is replaced by a re-opened one. */
  readonly key: string;
  readonly object: OpenedObject;
}

interface WorkspaceState {
  readonly windows: readonly ObjectWindow[];
  readonly host: HostInfo | undefined;
  readonly templates: readonly TemplateInfo[];
  /** Adds a window unless one already shows this handle; returns its key. */
  add(object: OpenedObject): string;
  replace(key: string, object: OpenedObject): void;
  remove(key: string): void;
  setHost(host: HostInfo): void;
  setTemplates(templates: readonly TemplateInfo[]): void;
}

export function createWorkspaceStore() {
  let nextKey = 1;
  return createStore<WorkspaceState>()((set, get) => ({
    windows: [],
    host: undefined,
    templates: [],
    add: (object) => {
      const existing = get().windows.find((w) => w.object.handle === object.handle);
      if (existing) return existing.key;
      const key = `w${nextKey++}`;
      set(({ windows }) => ({ windows: [...windows, { key, object }] }));
      return key;
    },
    replace: (key, object) =>
      set(({ windows }) => ({ windows: windows.map((w) => (w.key === key ? { key, object } : w)) })),
    remove: (key) => set(({ windows }) => ({ windows: windows.filter((w) => w.key !== key) })),
    setHost: (host) => set({ host }),
    setTemplates: (templates) => set({ templates }),
  }));
}

export const workspace = createWorkspaceStore();

export function useWorkspace<T>(selector: (state: WorkspaceState) => T): T {
  return useStore(workspace, selector);
}

export function windowOf(handle: ObjectHandle): ObjectWindow | undefined {
  return workspace.getState().windows.find((w) => w.object.handle === handle);
}
