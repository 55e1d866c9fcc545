// liveobjects.image as a UI object (and a Texture). View state: `{ kind: 'image', mime, data,
// version, width, height, size, uploads }` with `data` the image file's bytes (null while there
// is no image). The texture endpoint sends the current bytes on connect and on every new version.
import type { Intent, ViewStateOf } from '../../../src-shared/bridge/protocol';
import type { LocalProxy } from '../../runtime/proxy';
import { ImageModel } from '../models/image-model';
import type { ImageView } from '../models/image-model';
import { ModelError } from '../models/model';
import type { UiAdapter } from './ui-object';

export function imageViewState(view: ImageView, data: Uint8Array | null): ViewStateOf<'image'> {
  return {
    kind: 'image',
    mime: view.mime,
    data,
    version: view.version,
    width: view.width,
    height: view.height,
    size: view.size,
    uploads: view.uploads,
  };
}

export const imageAdapter: UiAdapter<ImageModel, 'image'> = {
  kind: 'image',
  create: (ctx) => new ImageModel({ self: ctx.self, send: ctx.send }),
  snapshot: (model) => [{ t: 'state', state: imageViewState(model.view(), model.bytes() ?? null) }],
  subscribe: (model, emit) =>
    model.subscribe((view) => emit({ t: 'state', state: imageViewState(view, model.bytes() ?? null) })),
  act(model, intent: Intent) {
    if (intent.kind !== 'image.set') {
      throw new ModelError('invalid-argument', `an image does not understand '${intent.kind}'`);
    }
    model.setImage(intent.data);
  },
  wire(model: ImageModel, proxy: LocalProxy) {
    const portal = proxy.portal('texture');
    let sent: string | null = null;
    const push = (): void => {
      const bytes = model.bytes();
      const version = model.view().version;
      if (!portal.connected || !bytes || version === sent) return;
      sent = version;
      portal.send('image', bytes);
    };
    portal.onConnect(push);
    const unsubscribe = model.subscribe(push);
    proxy.onDispose(unsubscribe);
  },
  tick: (model) => void model.expire(),
};
