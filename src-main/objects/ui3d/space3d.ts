// liveobjects.space3d as a UI object (a 2D window holding the 3D scene, so it can sit on a
// desktop). View state `{ kind: 'space3d', objects: [{ id, reference, kind?, title?, position,
// rotation, scale }] }` sorted by id; `kind` is the view kind of the object's reference (like desktop
// items), `title` the placed title or the reference's <meta><title>. Places are type-checked
// like checkDrop on a space: only objects with a 3D UI (⊑ UI3D).
import type { Intent, ViewStateOf } from '../../../src-shared/bridge/protocol';
import { ModelError } from '../models/model';
import { SPACE3D_LIMITS, Space3DModel } from '../models3d/space3d-model';
import type { Space3DView } from '../models3d/space3d-model';
import { describeReference } from '../ui/desktop';
import { check3dUi, refusalText } from '../ui/drop';
import type { UiAdapter, UiContext } from '../ui/ui-object';
import { primitiveIdOf } from '../ui/view-kinds';

export function space3dViewState(view: Space3DView): ViewStateOf<'space3d'> {
  return {
    kind: 'space3d',
    objects: view.objects.map((o) => {
      const d = describeReference(o.reference);
      const title = o.title ?? d.title;
      return {
        id: o.id,
        reference: o.reference,
        ...(d.kind ? { kind: d.kind } : {}),
        ...(title === undefined ? {} : { title }),
        position: o.position,
        rotation: o.rotation,
        scale: o.scale,
      };
    }),
  };
}

export const space3dAdapter: UiAdapter<Space3DModel, 'space3d'> = {
  kind: 'space3d',
  create: (ctx) => new Space3DModel({ self: ctx.self, send: ctx.send }),
  snapshot: (model) => [{ t: 'state', state: space3dViewState(model.view()) }],
  subscribe: (model, emit) => model.subscribe((view) => emit({ t: 'state', state: space3dViewState(view) })),
  act(model: Space3DModel, intent: Intent, ctx: UiContext) {
    switch (intent.kind) {
      case 'space3d.place': {
        const checked = check3dUi(ctx.runtime.catalogue, intent.reference);
        if (!checked.verdict.ok) throw new ModelError('invalid-argument', refusalText(checked.verdict));
        const doc = checked.document;
        const title = doc?.meta.title?.slice(0, SPACE3D_LIMITS.maxTitleLength);
        // The model's kind is a placeholder hint: the object's template id.
        const kind = doc ? primitiveIdOf(doc.reference)?.slice(0, SPACE3D_LIMITS.maxKindLength) : undefined;
        model.place({
          reference: intent.reference,
          ...(kind ? { kind } : {}),
          ...(title ? { title } : {}),
          ...(intent.position ? { position: intent.position } : {}),
          ...(intent.rotation ? { rotation: intent.rotation } : {}),
          ...(intent.scale ? { scale: intent.scale } : {}),
        });
        return;
      }
      case 'space3d.move':
        return model.move(intent.id, intent.position);
      case 'space3d.rotate':
        return model.rotate(intent.id, intent.rotation);
      case 'space3d.scale':
        return model.scale(intent.id, intent.scale);
      case 'space3d.remove':
        return model.remove(intent.id);
      default:
        throw new ModelError('invalid-argument', `a 3D space does not understand '${intent.kind}'`);
    }
  },
};
