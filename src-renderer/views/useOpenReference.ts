// Opens a reference for as long as the component showing it is mounted, and closes it after.
// Re-opens when the bridge reconnects (the old session's handles died with it), and when the
// host remembered an answer about library code while this one waits for consent.
import { useEffect, useState } from 'react';
import type { OpenedObject } from '../../src-shared/bridge/protocol';
import type { RendererBridge } from '../bridge';
import { errorMessage } from '../bridge/errors';
import { closeHandle } from '../app/actions';
import { useBridge } from '../app/BridgeContext';
import { useConnection } from '../app/stores/connection';
import { notifyError } from '../app/stores/notifications';
import { consent } from '../app/stores/consent';
import { parseConsentPlaceholder } from '../../src-shared/bridge/library-consent';

export type OpenState =
  | { readonly status: 'opening' }
  | { readonly status: 'open'; readonly object: OpenedObject }
  | { readonly status: 'failed'; readonly message: string };

const OPENING: OpenState = { status: 'opening' };

/** What was asked to open, and how far it got. */
interface Request {
  readonly bridge: RendererBridge;
  readonly session: number;
  readonly reference: string | null;
  readonly source: string;
  readonly state: OpenState;
}

/** `null` opens nothing (an optional binding such as an airplane's livery). */
export function useOpenReference(reference: string | null, source: string): OpenState {
  const bridge = useBridge();
  const session = useConnection((s) => s.session);
  const [request, setRequest] = useState<Request>({ bridge, session, reference, source, state: OPENING });
  const [retry, setRetry] = useState(0);
  // Only an open blocked by consent is tried again, when the host remembers an answer.
  const blocked =
    request.state.status === 'failed' && parseConsentPlaceholder(request.state.message) !== undefined;
  useEffect(() => {
    if (!blocked) return;
    return consent.subscribe((now, before) => {
      if (now.decisions !== before.decisions) setRetry((n) => n + 1);
    });
  }, [blocked]);
  const active = session !== 0 && reference !== null;
  const asked =
    request.bridge === bridge &&
    request.session === session &&
    request.reference === reference &&
    request.source === source;
  // A new request starts as 'opening', set while rendering (React's way to reset state on new
  // props) so no frame shows the previous object. Unbound or before connecting, the last stays.
  if (active && !asked) setRequest({ bridge, session, reference, source, state: OPENING });

  useEffect(() => {
    if (session === 0 || reference === null) return;
    let mounted = true;
    let handle: string | undefined;
    const settle = (state: OpenState) => setRequest({ bridge, session, reference, source, state });
    bridge.call('open', { xml: reference, source }).then(
      (object) => {
        if (!mounted) return closeHandle(bridge, object.handle, session);
        handle = object.handle;
        settle({ status: 'open', object });
      },
      (error: unknown) => {
        if (!mounted) return;
        const message = errorMessage(error);
        // Waiting for consent is shown where the object would be, and the dialog asks.
        if (!parseConsentPlaceholder(message)) notifyError(`Could not open ${source}: ${message}`);
        settle({ status: 'failed', message });
      },
    );
    return () => {
      mounted = false;
      if (handle) closeHandle(bridge, handle, session);
    };
  }, [bridge, reference, source, session, retry]);

  return active && !asked ? OPENING : request.state;
}
