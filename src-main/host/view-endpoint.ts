// The host's side of an object's user interface: a small proxy whose endpoint is the dual of
// the object's (UI.ui: in show, out act; UI3D.ui3d likewise; CoordinateStream.stream: in
// position), so connecting it is type-checked like any other connection.
import type { LocalProxy } from '../runtime/proxy';
import type { ViewEndpoint } from '../objects/ui';
import { viewProxyFor } from '../objects/ui3d';

export const UI_ENDPOINT = 'ui';

export function viewProxy(label: string, endpoint: ViewEndpoint = UI_ENDPOINT): LocalProxy {
  return viewProxyFor(endpoint, label);
}
