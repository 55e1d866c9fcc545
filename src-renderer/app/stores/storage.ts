// Whether the host can save to disk, from its `storage` command (on each new session) and its
// `storage` events (on each change), for the storage banner.
import type { StorageStatus } from '../../../src-shared/bridge/protocol';
import { createStore, useStore } from 'zustand';

interface StorageState {
  /** Undefined until the host has answered. */
  readonly status: StorageStatus | undefined;
  /** Counts the statuses set, so that an answer overtaken by an event can be told apart. */
  readonly updates: number;
  setStatus(status: StorageStatus): void;
}

export const storage = createStore<StorageState>()((set) => ({
  status: undefined,
  updates: 0,
  setStatus: (status) => set(({ updates }) => ({ status, updates: updates + 1 })),
}));

export function useStorage<T>(selector: (state: StorageState) => T): T {
  return useStore(storage, selector);
}
