// liveobjects.map as a UI3D object. View state = the model's view as `{ kind: 'map', area:
// { name, bounds }, annotations: [{ id, lon, lat, text, author, x, z }] }`; intents map.annotate,
// map.unannotate.
import type { Intent } from '../../../src-shared/bridge/protocol';
import { ModelError } from '../models/model';
import { MapModel } from '../models3d/map-model';
import type { UiAdapter } from '../ui/ui-object';

export const mapAdapter: UiAdapter<MapModel, 'map'> = {
  kind: 'map',
  endpoint: 'ui3d',
  create: (ctx) => new MapModel({ self: ctx.self, send: ctx.send }),
  snapshot: (model) => [{ t: 'state', state: { ...model.view(), kind: 'map' } }],
  subscribe: (model, emit) =>
    model.subscribe((view) => emit({ t: 'state', state: { ...view, kind: 'map' } })),
  act(model: MapModel, intent: Intent) {
    switch (intent.kind) {
      case 'map.annotate':
        model.addAnnotation({ lon: intent.lon, lat: intent.lat, text: intent.text });
        return;
      case 'map.unannotate':
        return model.removeAnnotation(intent.id);
      default:
        throw new ModelError('invalid-argument', `a map does not understand '${intent.kind}'`);
    }
  },
};
