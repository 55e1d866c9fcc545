// Sends a view's user intents to its object's UI endpoint (`act`); a refused intent becomes a
// notification starting with `failure`, never an exception.
import { useCallback } from 'react';
import type { Intent, ObjectHandle } from '../../src-shared/bridge/protocol';
import { attempt } from '../app/attempt';
import { useBridge } from '../app/BridgeContext';

export function useAct(handle: ObjectHandle, failure: string): (intent: Intent) => void {
  const bridge = useBridge();
  return useCallback(
    (intent: Intent) => void attempt(bridge.call('act', { handle, intent }), failure),
    [bridge, handle, failure],
  );
}
