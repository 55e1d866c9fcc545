// An airplane follows the track of the coordinate stream bound to it: the stream reference is
// dereferenced (sharing the stream's instance with every other follower in this process), its
// `stream` endpoint connected, and that track's samples forwarded to the airplane's views in
// batches. Rebinding closes the old subscription first; a stale open is discarded.
import { parseLiveObject } from '../../../src-shared/format';
import type { RuntimeServices } from '../../runtime/catalogue';
import type { LocalProxy, Proxy } from '../../runtime/proxy';
import type { StreamMessage } from '../ui/wire';
import { SampleBatcher, forwardSamples } from './sample-batcher';
import { viewProxyFor } from './view-proxy';
import { errorText } from '../../../src-shared/util/error-text';

export class StreamFollower {
  private current: { readonly key: string; readonly close: () => void } | undefined;

  constructor(
    private readonly runtime: RuntimeServices,
    private readonly emit: (m: StreamMessage) => void,
  ) {}

  /** Follows `track` of the stream `reference` (XML); null stops following. */
  follow(reference: string | null, track: number): void {
    const key = reference === null ? '' : `${track}\n${reference}`;
    if ((this.current?.key ?? '') === key) return;
    this.stop();
    if (reference === null) return;
    const batcher = new SampleBatcher({ emit: (samples) => this.emit({ t: 'stream.samples', samples }) });
    let proxy: Proxy | undefined;
    let view: LocalProxy | undefined;
    let closed = false;
    this.current = {
      key,
      close: () => {
        closed = true;
        batcher.dispose();
        view?.dispose();
        proxy?.dispose();
      },
    };
    this.open(reference).then(
      (p) => {
        if (closed) return p.dispose();
        proxy = p;
        view = viewProxyFor('stream', 'airplane stream view');
        forwardSamples(view, batcher, track);
        p.endpoint('stream').connect(view.endpoint('stream'));
      },
      (e: unknown) => {
        if (!closed)
          this.emit({ t: 'error', message: `the airplane cannot follow its stream: ${errorText(e)}` });
      },
    );
  }

  stop(): void {
    this.current?.close();
    this.current = undefined;
  }

  private async open(xml: string): Promise<Proxy> {
    // Object code dereferences with the built-in types only (the place/bind check used the file's).
    return this.runtime.dereference(parseLiveObject(xml, { source: 'the bound stream' }).reference);
  }
}
