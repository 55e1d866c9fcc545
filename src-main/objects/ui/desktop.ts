// liveobjects.desktop as a UI object. View state: `{ kind: 'desktop', items }`
// (src-shared/bridge/view-state.ts): each item's `kind` is the view kind of its reference
// (absent when its template has no known view), `title` the placed title or the reference's
// <meta><title>. Places are type-checked like checkDrop: only objects with a 2D UI.
import type { Intent, ViewKind, ViewStateOf } from '../../../src-shared/bridge/protocol';
import { DesktopModel } from '../models/desktop-model';
import type { DesktopView } from '../models/desktop-model';
import { ModelError } from '../models/model';
import { DESKTOP_LIMITS } from '../models/desktop-codec';
import type { UiAdapter, UiContext } from './ui-object';
import { check2dUi, refusalText } from './drop';
import { parseLiveObject } from '../../../src-shared/format';
import { viewKindOf } from './view-kinds';

const DEFAULT_SIZE = { width: 320, height: 240 } as const;
const describeCache = new Map<string, { kind?: ViewKind; title?: string }>();

/** Kind and meta title of an item's reference (cached: items are re-shown on every change). */
export function describeReference(xml: string): { kind?: ViewKind; title?: string } {
  let d = describeCache.get(xml);
  if (!d) {
    try {
      const doc = parseLiveObject(xml);
      const kind = viewKindOf(doc.reference);
      d = { ...(kind ? { kind } : {}), ...(doc.meta.title ? { title: doc.meta.title } : {}) };
    } catch {
      d = {};
    }
    if (describeCache.size > 1000) describeCache.clear();
    describeCache.set(xml, d);
  }
  return d;
}

export function desktopViewState(view: DesktopView): ViewStateOf<'desktop'> {
  return {
    kind: 'desktop',
    items: view.items.map((item) => {
      const d = describeReference(item.reference);
      const title = item.title ?? d.title;
      return { ...item, ...(title === undefined ? {} : { title }), ...(d.kind ? { kind: d.kind } : {}) };
    }),
  };
}

export const desktopAdapter: UiAdapter<DesktopModel, 'desktop'> = {
  kind: 'desktop',
  create: (ctx) => new DesktopModel({ self: ctx.self, send: ctx.send }),
  snapshot: (model) => [{ t: 'state', state: desktopViewState(model.view()) }],
  subscribe: (model, emit) => model.subscribe((view) => emit({ t: 'state', state: desktopViewState(view) })),
  act(model: DesktopModel, intent: Intent, ctx: UiContext) {
    switch (intent.kind) {
      case 'desktop.place': {
        const checked = check2dUi(ctx.runtime.catalogue, intent.reference);
        if (!checked.verdict.ok) throw new ModelError('invalid-argument', refusalText(checked.verdict));
        const title = checked.document?.meta.title?.slice(0, DESKTOP_LIMITS.maxTitleLength);
        model.place({
          reference: intent.reference,
          x: intent.x,
          y: intent.y,
          width: intent.width ?? DEFAULT_SIZE.width,
          height: intent.height ?? DEFAULT_SIZE.height,
          ...(title ? { title } : {}),
        });
        return;
      }
      case 'desktop.move':
        return model.move(intent.id, intent.x, intent.y);
      case 'desktop.resize':
        return model.resize(intent.id, intent.width, intent.height);
      case 'desktop.raise':
        return model.raise(intent.id);
      case 'desktop.remove':
        return model.remove(intent.id);
      default:
        throw new ModelError('invalid-argument', `a desktop does not understand '${intent.kind}'`);
    }
  },
};
