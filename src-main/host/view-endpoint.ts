// The host's side of an object's `ui` endpoint: a small proxy whose endpoint is the dual of
// UI's (in show, out act), so connecting it is type-checked like any other connection.
import { UI } from '../../src-shared/model/catalogue';
import { dualEndpointType, objectType } from '../../src-shared/model/build';
import type { ObjectType } from '../../src-shared/model/types';
import { LocalProxy } from '../runtime/proxy';

export const UI_ENDPOINT = 'ui';

const VIEW_TYPE: ObjectType = objectType({
  name: 'View',
  endpoints: [[UI_ENDPOINT, dualEndpointType(UI.endpoints.get(UI_ENDPOINT)!, 'View.ui')]],
});

export function viewProxy(label: string): LocalProxy {
  return new LocalProxy(label, VIEW_TYPE);
}
