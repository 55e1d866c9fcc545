// Replicated state as the host reports it: the latest `state` and `presence` per handle. This
// store is written only by bridge events; views never change it locally (local view state
// lives in ./local).
import type { Member, ObjectHandle } from '../../../src-shared/bridge/protocol';
import { createStore, useStore } from 'zustand';

interface ReplicaState {
  readonly states: Readonly<Record<ObjectHandle, unknown>>;
  readonly presence: Readonly<Record<ObjectHandle, readonly Member[]>>;
  setState(handle: ObjectHandle, state: unknown): void;
  setPresence(handle: ObjectHandle, members: readonly Member[]): void;
  forget(handle: ObjectHandle): void;
  reset(): void;
}

export function createReplicaStore() {
  return createStore<ReplicaState>()((set) => ({
    states: {},
    presence: {},
    setState: (handle, state) => set(({ states }) => ({ states: { ...states, [handle]: state } })),
    setPresence: (handle, members) =>
      set(({ presence }) => ({ presence: { ...presence, [handle]: sanitizeMembers(members) } })),
    forget: (handle) =>
      set(({ states, presence }) => {
        const { [handle]: _state, ...otherStates } = states;
        const { [handle]: _members, ...otherPresence } = presence;
        return { states: otherStates, presence: otherPresence };
      }),
    reset: () => set({ states: {}, presence: {} }),
  }));
}

function sanitizeMembers(members: unknown): readonly Member[] {
  if (!Array.isArray(members)) return [];
  return members.flatMap((m: unknown) => {
    if (!m || typeof m !== 'object') return [];
    const { id, name } = m as Partial<Member>;
    if (typeof id !== 'string') return [];
    return [{ id, name: typeof name === 'string' && name ? name : id }];
  });
}

export const replicas = createReplicaStore();

const NO_MEMBERS: readonly Member[] = [];

export function useObjectState(handle: ObjectHandle): unknown {
  return useStore(replicas, (s) => s.states[handle]);
}

export function usePresence(handle: ObjectHandle): readonly Member[] {
  return useStore(replicas, (s) => s.presence[handle] ?? NO_MEMBERS);
}
