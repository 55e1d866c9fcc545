// liveobjects.image as a UI object (and a Texture). View state: `{ mime, data, version,
// width, height, size, uploads }` with `data` the image bytes in base64 (null while there is
// no image). The texture endpoint sends the current bytes on connect and on every new version.
import type { Intent } from '../../../src-shared/bridge/protocol';
import type { LocalProxy } from '../../runtime/proxy';
import { ImageModel } from '../models/image-model';
import type { ImageView } from '../models/image-model';
import { ModelError } from '../models/model';
import type { UiAdapter } from './ui-object';
import { fromBase64, toBase64 } from './wire';

export interface ImageViewState {
  readonly mime: string | null;
  readonly data: string | null;
  readonly version: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly size: number;
  readonly uploads: ImageView['uploads'];
}

export function imageViewState(view: ImageView, data: string | null): ImageViewState {
  return {
    mime: view.mime,
    data,
    version: view.version,
    width: view.width,
    height: view.height,
    size: view.size,
    uploads: view.uploads,
  };
}

export const imageAdapter: UiAdapter<ImageModel> = {
  kind: 'image',
  create: (ctx) => new ImageModel({ self: ctx.self, send: ctx.send }),
  snapshot: (model) => {
    const bytes = model.bytes();
    return [{ t: 'state', state: imageViewState(model.view(), bytes ? toBase64(bytes) : null) }];
  },
  subscribe(model, emit) {
    // Base64 of a multi-MiB image is costly: re-encode only when the version changes.
    let last: { version: string | null; data: string | null } = { version: null, data: null };
    return model.subscribe((view) => {
      let data = last.data;
      if (view.version !== last.version) {
        const bytes = model.bytes();
        data = bytes ? toBase64(bytes) : null;
      }
      last = { version: view.version, data };
      emit({ t: 'state', state: imageViewState(view, data) });
    });
  },
  act(model, intent: Intent) {
    if (intent.kind !== 'image.set') {
      throw new ModelError('invalid-argument', `an image does not understand '${intent.kind}'`);
    }
    model.setImage(fromBase64(intent.data, 'the image'));
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
