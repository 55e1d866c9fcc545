// The viewer's side of an object's user interface or stream: a small proxy whose endpoint is
// the dual of the object's (UI.ui, UI3D.ui3d, CoordinateStream.stream), so connecting it is
// type-checked like any other connection.
import { COORDINATE_STREAM, UI, UI3D } from '../../../src-shared/model/catalogue';
import { dualEndpointType, objectType } from '../../../src-shared/model/build';
import type { ObjectType } from '../../../src-shared/model/types';
import { LocalProxy } from '../../runtime/proxy';
import type { ViewEndpoint } from '../ui/drop';

const SOURCES: Readonly<Record<ViewEndpoint, ObjectType>> = {
  ui: UI,
  ui3d: UI3D,
  stream: COORDINATE_STREAM,
};

const types = new Map<ViewEndpoint, ObjectType>();

function viewType(endpoint: ViewEndpoint): ObjectType {
  let t = types.get(endpoint);
  if (!t) {
    const source = SOURCES[endpoint].endpoints.get(endpoint);
    if (!source) throw new Error(`no endpoint '${endpoint}' in its built-in type`);
    t = objectType({ name: 'View', endpoints: [[endpoint, dualEndpointType(source, `View.${endpoint}`)]] });
    types.set(endpoint, t);
  }
  return t;
}

/** A proxy with one endpoint, `endpoint`, dual to the object's endpoint of that name. */
export function viewProxyFor(endpoint: ViewEndpoint, label: string): LocalProxy {
  return new LocalProxy(label, viewType(endpoint));
}
