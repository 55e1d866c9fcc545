// Replicated state as the host reports it: the latest `state` and `presence` per handle. This
// store is written only by bridge events, checked against the contract on arrival; views never
// change it locally (local view state lives in ./local).
import type {
  Member,
  ObjectHandle,
  ViewKind,
  ViewState,
  ViewStateOf,
} from '../../../src-shared/bridge/protocol';
import { createStore, useStore } from 'zustand';

interface ReplicaState {
  readonly states: Readonly<Record<ObjectHandle, ViewState>>;
  readonly presence: Readonly<Record<ObjectHandle, readonly Member[]>>;
  setState(handle: ObjectHandle, state: ViewState): void;
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
      set(({ presence }) => ({ presence: { ...presence, [handle]: members.map(shownMember) } })),
    forget: (handle) =>
      set(({ states, presence }) => {
        const { [handle]: _state, ...otherStates } = states;
        const { [handle]: _members, ...otherPresence } = presence;
        return { states: otherStates, presence: otherPresence };
      }),
    reset: () => set({ states: {}, presence: {} }),
  }));
}

/** A member without a name is shown by its id. */
function shownMember({ id, name }: Member): Member {
  return { id, name: name || id };
}

export const replicas = createReplicaStore();

const NO_MEMBERS: readonly Member[] = [];

/** The latest view state of `handle`, while it is of the `kind` its view draws. */
export function useViewState<K extends ViewKind>(handle: ObjectHandle, kind: K): ViewStateOf<K> | undefined {
  return useStore(replicas, (s) => stateOfKind(s.states[handle], kind));
}

export function stateOfKind<K extends ViewKind>(
  state: ViewState | undefined,
  kind: K,
): ViewStateOf<K> | undefined {
  return state?.kind === kind ? (state as ViewStateOf<K>) : undefined;
}

export function usePresence(handle: ObjectHandle): readonly Member[] {
  return useStore(replicas, (s) => s.presence[handle] ?? NO_MEMBERS);
}
