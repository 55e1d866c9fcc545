// liveobjects.building as a UI3D object. View state = the model's view as
// `{ kind: 'building', name, footprint: [x, z][], height, color }`; intent building.color.
import type { Intent } from '../../../src-shared/bridge/protocol';
import { ModelError } from '../models/model';
import { BuildingModel } from '../models3d/building-model';
import type { UiAdapter } from '../ui/ui-object';

export const buildingAdapter: UiAdapter<BuildingModel, 'building'> = {
  kind: 'building',
  endpoint: 'ui3d',
  create: (ctx) => new BuildingModel({ self: ctx.self, send: ctx.send }),
  snapshot: (model) => [{ t: 'state', state: { ...model.view(), kind: 'building' } }],
  subscribe: (model, emit) =>
    model.subscribe((view) => emit({ t: 'state', state: { ...view, kind: 'building' } })),
  act(model: BuildingModel, intent: Intent) {
    if (intent.kind !== 'building.color')
      throw new ModelError('invalid-argument', `a building does not understand '${intent.kind}'`);
    model.setColor(intent.color);
  },
};
