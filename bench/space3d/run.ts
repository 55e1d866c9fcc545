// Scenario `space3d`: N aircraft streaming at R Hz shown by the renderer in Chromium (WebGL via
// SwiftShader). A publisher host runs the flights generators; a viewer host forwards every
// track to one page, which opens the flights objects directly (Tracks3D: one cone, trail and
// label per aircraft). Per N: frame time p50/p95 (rAF deltas), viewer host CPU per sample and
// in cores, publisher CPU, samples and bridge frames per second; ratios vs the smallest N.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../app/browser';
import { percentile } from '../lib/stats';
import { round2 } from '../app/util';
import { BridgeClient } from '../lib/bridge';
import { startServe } from '../app/liveobjects';
import type { Served } from '../app/liveobjects';
import { startGms } from '../../testing/liveobjects';
import { writeTeamInvitation } from '../../src-main/host/workspace/testing/team';
import type { GmsProcess } from '../../testing/liveobjects';
import { delay, inTime, waitFor } from '../../testing/wait';
import { processCpuSeconds } from '../lib/machine-cpu';
import type { Figure } from '../lib/results';
import { figure } from '../lib/results';
import type { BenchContext, ScenarioOutcome } from '../lib/scenario';
import type { Space3dOptions } from '../scenarios/space3d';
import { errorText } from '../../src-shared/util/error-text';
import { flightsReference, splitCounts } from './flights';
import type { PageCounters } from './page';
import { PAGE_SCRIPT, READ_COUNTERS, START_RECORDING, STOP_RECORDING, TRACKS_SHOWN } from './page';

/** Samples per engine message (docs/spatial.md: ≤ 24 tracks per coordinate samples message). */
const SAMPLES_PER_MESSAGE = 24;

interface Point {
  readonly aircraft: number;
  readonly objects: number;
  readonly publisherPublishes: boolean;
  readonly tracksShown: number;
  readonly settleSec: number;
  readonly windowSec: number;
  readonly frames: number;
  readonly frameP50: number | null;
  readonly frameP95: number | null;
  readonly fps: number | null;
  readonly samplesPerSec: number;
  readonly bridgeFramesPerSec: number;
  readonly bridgeKBPerSec: number;
  readonly viewerCores: number | null;
  readonly viewerUsPerSample: number | null;
  readonly publisherCores: number | null;
  readonly publisherUsPerSample: number | null;
  readonly engineMessagesPerSec: number;
}

const delta = (a: number | null, b: number | null): number | null =>
  a === null || b === null ? null : b - a;

const cpuOf = (served: Served): number | null => processCpuSeconds(served.proc.pid);

async function measure(
  n: number,
  rateHz: number,
  o: { warmupSec: number; durationSec: number; settleSec: number },
  env: { browser: Browser; publisher: BridgeClient; pub: Served; viewer: Served },
  context: BenchContext,
): Promise<Point> {
  const counts = splitCounts(n);
  const refs = counts.map((c, i) => flightsReference(c, rateHz, 7_000 + i));
  const handles: string[] = [];
  for (const xml of refs) handles.push((await env.publisher.open(xml)).handle);
  // The publisher host joined first, so it should hold the lowest member id and publish.
  let publisherPublishes = true;
  for (const h of handles) {
    const ok = await env.publisher.waitState(h, (s) => s.kind === 'flights' && s.publishing, 15_000);
    publisherPublishes &&= ok;
  }
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.addInitScript(PAGE_SCRIPT);
    const t0 = Date.now();
    const url = env.viewer.url + refs.map((r) => `&open=${encodeURIComponent(r)}`).join('');
    await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
    let shown = 0;
    const allShown = async (): Promise<boolean> => {
      shown = Number(await page.evaluate(TRACKS_SHOWN).catch(() => 0));
      return shown >= n;
    };
    // Measured on as far as the tracks got when the settle time is up.
    await inTime(
      waitFor(`${n} tracks shown`, allShown, {
        timeout: o.settleSec * 1000 - (Date.now() - t0),
        interval: 250,
      }),
    );
    const settleSec = (Date.now() - t0) / 1000;
    context.progress(`${n} aircraft: ${shown} tracks shown after ${settleSec.toFixed(1)} s; warming up`);
    await delay(o.warmupSec * 1000);
    const c0 = (await page.evaluate(READ_COUNTERS)) as PageCounters;
    const [v0, p0, w0] = [cpuOf(env.viewer), cpuOf(env.pub), performance.now()];
    await page.evaluate(START_RECORDING);
    await delay(o.durationSec * 1000);
    const deltas = (await page.evaluate(STOP_RECORDING)) as number[];
    const c1 = (await page.evaluate(READ_COUNTERS)) as PageCounters;
    const [v1, p1, w1] = [cpuOf(env.viewer), cpuOf(env.pub), performance.now()];
    const sec = (w1 - w0) / 1000;
    const samples = c1.samples - c0.samples;
    const vCpu = delta(v0, v1);
    const pCpu = delta(p0, p1);
    const published = n * rateHz * sec;
    const frameSum = deltas.reduce((a, b) => a + b, 0);
    return {
      aircraft: n,
      objects: refs.length,
      publisherPublishes,
      tracksShown: shown,
      settleSec: round2(settleSec) ?? 0,
      windowSec: round2(sec) ?? 0,
      frames: deltas.length,
      frameP50: round2(percentile(deltas, 50)),
      frameP95: round2(percentile(deltas, 95)),
      fps: frameSum > 0 ? round2((deltas.length * 1000) / frameSum) : null,
      samplesPerSec: Math.round(samples / sec),
      bridgeFramesPerSec: round2((c1.frames - c0.frames) / sec) ?? 0,
      bridgeKBPerSec: round2((c1.bytes - c0.bytes) / 1024 / sec) ?? 0,
      viewerCores: vCpu === null ? null : round2(vCpu / sec),
      viewerUsPerSample: vCpu === null || samples === 0 ? null : round2((vCpu * 1e6) / samples),
      publisherCores: pCpu === null ? null : round2(pCpu / sec),
      publisherUsPerSample: pCpu === null ? null : round2((pCpu * 1e6) / published),
      engineMessagesPerSec: counts.reduce((m, c) => m + Math.ceil(c / SAMPLES_PER_MESSAGE) * rateHz, 0),
    };
  } finally {
    await page.close().catch(() => undefined);
    for (const h of handles) await env.publisher.closeObject(h).catch(() => undefined);
  }
}

export async function runSpace3d(options: Space3dOptions, context: BenchContext): Promise<ScenarioOutcome> {
  const { counts, rate: rateHz } = options;
  const o = { warmupSec: options.warmup, durationSec: options.duration, settleSec: options.settle };
  const errors: string[] = [];
  const points: Point[] = [];
  let gms: GmsProcess | undefined;
  let pub: Served | undefined;
  let viewer: Served | undefined;
  let browser: Browser | undefined;
  let publisher: BridgeClient | undefined;
  try {
    // The publisher and the viewer are one team: the GMS serves its workspace.
    gms = await startGms({
      invitation: writeTeamInvitation(mkdtempSync(join(tmpdir(), 'liveobjects-bench-3d-'))),
    });
    pub = await startServe(context.root, gms, 'Publisher', undefined);
    viewer = await startServe(context.root, gms, 'Viewer', undefined);
    publisher = await BridgeClient.connect(pub.url);
    browser = await launchBrowser({ webgl: true });
    context.progress(`hosts up (publisher pid ${pub.proc.pid}, viewer pid ${viewer.proc.pid})`);
    for (const n of counts) {
      try {
        const p = await measure(n, rateHz, o, { browser, publisher, pub, viewer }, context);
        context.progress(
          `${n} aircraft: frame p50 ${p.frameP50} ms p95 ${p.frameP95} ms, viewer ${p.viewerUsPerSample} µs/sample, ` +
            `${p.samplesPerSec} samples/s`,
        );
        if (p.tracksShown < n)
          errors.push(`${n} aircraft: only ${p.tracksShown} tracks shown before measuring`);
        if (!p.publisherPublishes)
          errors.push(`${n} aircraft: the viewer host published (not the publisher)`);
        points.push(p);
      } catch (err) {
        errors.push(`${n} aircraft: ${errorText(err)}`);
      }
    }
  } catch (err) {
    errors.push(`set-up: ${errorText(err)}`);
  } finally {
    publisher?.dispose();
    await browser?.close().catch(() => undefined);
    await viewer?.proc.stop(5_000);
    await pub?.proc.stop(5_000);
    await gms?.proc.stop(2_000);
  }
  return {
    parameters: {
      counts,
      rateHz,
      ...o,
      renderer: 'Chromium + SwiftShader (WebGL)',
      shown: 'flights windows (Tracks3D)',
    },
    figures: figures(points),
    notes: [
      'Scene: each N is split into flights objects of ≤ 1000 aircraft (the host limit), rateHz as given; the page opens them with ?open=, so each is a window drawing every track (cone, 30 s trail, DOM label). A space cannot hold streams (not UI3D) nor more than 1000 placed airplanes.',
      'Two hosts: the publisher (a Node bridge client keeps the flights open there; it joined first, so it is the lowest member id and publishes) and the viewer (the page’s host: subscribes, decodes, batches to stream.samples events).',
      'Frame time: requestAnimationFrame deltas in the page over the window. Host CPU: /proc/<pid>/stat utime+stime over the window; per sample = viewer CPU / samples delivered to the page (counted in the bridge WebSocket frames by an init script), publisher CPU / samples generated (N × rate × window).',
      'Engine messages/s is computed (⌈count/24⌉ × rate per flights object, one multicast each); the engine stats are not reachable from outside the host.',
      'At a few frames per second the page handles WebSocket messages late and in bursts, so samples/s and bridge frames/s counted in a 10 s window can be off by up to ~25 % at the largest N (a backlog drained inside or outside the window).',
      'Ratios are against the first (smallest) N of the same run.',
    ],
    errors,
    details: { points },
  };
}

function figures(points: readonly Point[]): Figure[] {
  const base = points[0];
  const out: Figure[] = [];
  const metrics: Array<[string, string, (p: Point) => number | null]> = [
    ['frame time p50', 'ms', (p) => p.frameP50],
    ['frame time p95', 'ms', (p) => p.frameP95],
    ['frames per second', 'fps', (p) => p.fps],
    ['viewer host CPU per sample', 'µs/sample', (p) => p.viewerUsPerSample],
    ['viewer host CPU', 'cores', (p) => p.viewerCores],
    ['publisher host CPU per sample', 'µs/sample', (p) => p.publisherUsPerSample],
    ['samples delivered to the page', 'samples/s', (p) => p.samplesPerSec],
    ['bridge frames to the page', 'frames/s', (p) => p.bridgeFramesPerSec],
    ['engine messages (computed)', 'msgs/s', (p) => p.engineMessagesPerSec],
  ];
  for (const [name, unit, get] of metrics) {
    for (const p of points) {
      out.push(
        figure({
          name: `${p.aircraft} aircraft: ${name}`,
          unit,
          value: get(p),
          ...(base ? { baselineName: `${base.aircraft} aircraft`, baseline: get(base) } : {}),
        }),
      );
    }
  }
  return out;
}
