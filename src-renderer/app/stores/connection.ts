// The bridge's connection status as the UI shows it. `session` counts connections: handles
// from an earlier session are dead (the host closed them with it) and must be re-opened.
import { createStore, useStore } from 'zustand';
import type { ConnectionStatus } from '../../bridge/types';

interface ConnectionState {
  readonly status: ConnectionStatus;
  /** The latest open session; 0 before the first connection. */
  readonly session: number;
  setStatus(status: ConnectionStatus): void;
}

export function createConnectionStore() {
  return createStore<ConnectionState>()((set) => ({
    status: { state: 'connecting' },
    session: 0,
    setStatus: (status) =>
      set((s) => ({ status, session: status.state === 'open' ? status.session : s.session })),
  }));
}

export const connection = createConnectionStore();

export function useConnection<T>(selector: (state: ConnectionState) => T): T {
  return useStore(connection, selector);
}

export function currentSession(): number {
  return connection.getState().session;
}
