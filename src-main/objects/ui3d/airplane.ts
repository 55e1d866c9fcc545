// liveobjects.airplane as a UI3D object. View state = the model's view as
// `{ kind: 'airplane', callsign, color, stream, track, livery }` (references as XML, or null).
// Dropping on it (airplane.bind) is type-checked: a coordinate stream (⊑ CoordinateStream)
// binds the stream, a texture (⊑ Texture) the livery, anything else is refused. While a
// stream is bound, its track's samples reach the views as `stream.samples`.
import type { Intent } from '../../../src-shared/bridge/protocol';
import { ModelError } from '../models/model';
import { AirplaneModel } from '../models3d/airplane-model';
import { checkAirplaneDrop, refusalText } from '../ui/drop';
import type { UiAdapter, UiContext } from '../ui/ui-object';
import { StreamFollower } from './stream-follower';

export const airplaneAdapter: UiAdapter<AirplaneModel, 'airplane'> = {
  kind: 'airplane',
  endpoint: 'ui3d',
  create: (ctx) => new AirplaneModel({ self: ctx.self, send: ctx.send }),
  snapshot: (model) => [{ t: 'state', state: { ...model.view(), kind: 'airplane' } }],
  subscribe(model, emit, ctx) {
    const follower = new StreamFollower(ctx.runtime, emit);
    const follow = (): void => {
      const v = model.view();
      follower.follow(v.stream, v.track);
    };
    const unsubscribe = model.subscribe((view) => {
      emit({ t: 'state', state: { ...view, kind: 'airplane' } });
      follow();
    });
    follow();
    return () => {
      unsubscribe();
      follower.stop();
    };
  },
  act(model: AirplaneModel, intent: Intent, ctx: UiContext) {
    switch (intent.kind) {
      case 'airplane.bind': {
        const checked = checkAirplaneDrop(ctx.runtime.catalogue, intent.reference);
        if (!checked.verdict.ok) throw new ModelError('invalid-argument', refusalText(checked.verdict));
        if (checked.binding === 'stream') return model.bindStream(intent.reference, intent.track ?? 0);
        return model.bindLivery(intent.reference);
      }
      case 'airplane.unbind':
        return model.unbind(intent.what);
      case 'airplane.callsign':
        return model.setCallsign(intent.callsign);
      default:
        throw new ModelError('invalid-argument', `an airplane does not understand '${intent.kind}'`);
    }
  },
};
