// A coordinates or flights object opened directly: every track's samples go to the renderer
// as batched `stream.samples` events (≤ ~30 per second per handle), and the stream's
// description (senders, or the flight plans and publisher) as `state`.
import type { PoseSample, ViewStateOf } from '../../src-shared/bridge/protocol';
import type { LocalProxy } from '../runtime/proxy';
import type { StreamObjectInfo } from '../objects/ui3d';
import { SampleBatcher, forwardSamples } from '../objects/ui3d';

export interface StreamViewSink {
  state(state: ViewStateOf<'coordinates' | 'flights'>): void;
  samples(samples: readonly PoseSample[]): void;
}

/** Wires `view` (connected to a stream's `stream` endpoint) to `sink`; returns the cleanup. */
export function attachStreamView(
  view: LocalProxy,
  info: StreamObjectInfo | undefined,
  sink: StreamViewSink,
): () => void {
  const batcher = new SampleBatcher({ emit: (samples) => sink.samples(samples) });
  forwardSamples(view, batcher);
  let live = true;
  const show = (): void => {
    if (live && info) sink.state(info.state());
  };
  const unsubscribe = info?.onState(show);
  queueMicrotask(show);
  return () => {
    live = false;
    unsubscribe?.();
    batcher.dispose();
  };
}
