// In-page instrumentation of the `space3d` scenario, injected as an init script (before the
// app runs): counts bridge WebSocket frames and the coordinate samples they carry, and records
// requestAnimationFrame deltas on demand. Read back with `page.evaluate` (CDP; the app's CSP
// forbids eval but not that).
export const PAGE_SCRIPT = `(() => {
  const stats = { frames: 0, samples: 0, bytes: 0, deltas: [], recording: false, last: 0 };
  window.__space3dBench = stats;
  const Native = window.WebSocket;
  class Counting extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        stats.frames++;
        stats.bytes += e.data.length;
        if (e.data.indexOf('"stream.samples"') < 0) return;
        let i = -1;
        while ((i = e.data.indexOf('"track":', i + 1)) >= 0) stats.samples++;
      });
    }
  }
  window.WebSocket = Counting;
  const tick = (now) => {
    if (stats.recording && stats.last > 0) stats.deltas.push(now - stats.last);
    stats.last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

export interface PageCounters {
  readonly frames: number;
  readonly samples: number;
  readonly bytes: number;
}

export const READ_COUNTERS =
  '({ frames: __space3dBench.frames, samples: __space3dBench.samples, bytes: __space3dBench.bytes })';
export const START_RECORDING = '(__space3dBench.deltas = [], __space3dBench.recording = true)';
export const STOP_RECORDING = '(__space3dBench.recording = false, __space3dBench.deltas)';
/** Tracks with a pose in the page's pose store (every streamed handle). */
export const TRACKS_SHOWN =
  'Object.values(window.__liveobjects3d ? window.__liveobjects3d.streamPoses() : {}).reduce((n, t) => n + t.length, 0)';
