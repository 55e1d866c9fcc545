// What the host sees of the network, from its `network` command (on each new session) and its
// `network` events (on each change), for the connection area.
import type { NetworkStatus } from '../../../src-shared/bridge/protocol';
import { createStore, useStore } from 'zustand';

interface NetworkState {
  /** Undefined until the host has answered. */
  readonly status: NetworkStatus | undefined;
  /** Counts the statuses set, so that an answer overtaken by an event can be told apart. */
  readonly updates: number;
  setStatus(status: NetworkStatus): void;
}

export function createNetworkStore() {
  return createStore<NetworkState>()((set) => ({
    status: undefined,
    updates: 0,
    setStatus: (status) => set(({ updates }) => ({ status, updates: updates + 1 })),
  }));
}

export const network = createNetworkStore();

export function useNetwork<T>(selector: (state: NetworkState) => T): T {
  return useStore(network, selector);
}
