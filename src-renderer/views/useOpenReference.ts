// Opens a reference for as long as the component showing it is mounted, and closes it after.
// Re-opens when the bridge reconnects (the old session's handles died with it).
import { useEffect, useState } from 'react';
import type { OpenedObject } from '../../src-shared/bridge/protocol';
import { errorMessage } from '../bridge/errors';
import { closeHandle } from '../app/actions';
import { useBridge } from '../app/BridgeContext';
import { useConnection } from '../app/stores/connection';
import { notifyError } from '../app/stores/notifications';

export type OpenState =
  | { readonly status: 'opening' }
  | { readonly status: 'open'; readonly object: OpenedObject }
  | { readonly status: 'failed'; readonly message: string };

/** `null` opens nothing (an optional binding such as an airplane's livery). */
export function useOpenReference(reference: string | null, source: string): OpenState {
  const bridge = useBridge();
  const session = useConnection((s) => s.session);
  const [state, setState] = useState<OpenState>({ status: 'opening' });

  useEffect(() => {
    if (session === 0 || reference === null) return;
    let mounted = true;
    let handle: string | undefined;
    setState({ status: 'opening' });
    bridge.call('open', { xml: reference, source }).then(
      (object) => {
        if (!mounted) return closeHandle(bridge, object.handle, session);
        handle = object.handle;
        setState({ status: 'open', object });
      },
      (error: unknown) => {
        if (!mounted) return;
        const message = errorMessage(error);
        notifyError(`Could not open ${source}: ${message}`);
        setState({ status: 'failed', message });
      },
    );
    return () => {
      mounted = false;
      if (handle) closeHandle(bridge, handle, session);
    };
  }, [bridge, reference, source, session]);

  return state;
}
