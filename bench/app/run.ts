// The `app` scenario's body (bench/scenarios/app.ts loads it lazily: Playwright and vite are
// heavy, and every scenario module is imported by `npm run bench -- list`).
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { figure } from '../lib/results';
import type { Figure } from '../lib/results';
import type { BenchContext, ScenarioOutcome } from '../lib/scenario';
import type { AppOptions } from '../scenarios/app';
import { buildBaselinePage, seedRoom, startBaseline } from './baseline';
import type { Baseline } from './baseline';
import {
  EDITOR,
  checkInput,
  launchBrowser,
  loadUntilReady,
  openPage,
  typeAndObserve,
  waitReadyToType,
} from './browser';
import type { BenchPage, TypingOptions, TypingRun } from './browser';
import { BridgeClient } from '../lib/bridge';
import { errorText } from '../../src-shared/util/error-text';
import { startGms } from '../../testing/liveobjects';
import { writeTeamInvitation } from '../../src-main/host/workspace/testing/team';
import type { GmsProcess } from '../../testing/liveobjects';
import { startServe, textUpdate } from './liveobjects';
import type { Served } from './liveobjects';
import { median, percentile } from '../lib/stats';
import { round2 } from './util';

const SEED_TEXT = 'Live Objects benchmark note';
const PAGE_TIMEOUT_MS = 60_000;

interface TtiRep {
  readonly spawnToUrlMs: number;
  readonly spawnToInteractiveMs: number;
  readonly navToInteractiveMs: number;
  readonly warmNavToInteractiveMs: number;
  readonly inputEchoMs: number;
}

interface BaselineTtiRep {
  readonly navToInteractiveMs: number;
  readonly inputEchoMs: number;
}

interface LatencySide {
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly maxMs: number | null;
  readonly samples: number;
  readonly missing: number;
  readonly achievedRate: number;
  readonly perObserverP50Ms: readonly (number | null)[];
  /** Per observer, per keystroke (in typing order), ms; null where it never appeared. */
  readonly latenciesMs: readonly (readonly (number | null)[])[];
}

function summarize(run: TypingRun): LatencySide {
  const latenciesMs = run.appear.map((a) =>
    run.sent.map((s, i) => {
      const t = a[i];
      return t === undefined ? null : Math.round((t - s) * 10) / 10;
    }),
  );
  return {
    p50Ms: round2(percentile(run.latencies, 50)),
    p95Ms: round2(percentile(run.latencies, 95)),
    maxMs: round2(percentile(run.latencies, 100)),
    samples: run.latencies.length,
    missing: run.missing,
    achievedRate: round2(run.achievedRate) ?? 0,
    perObserverP50Ms: latenciesMs.map((l) =>
      round2(
        percentile(
          l.filter((x): x is number => x !== null),
          50,
        ),
      ),
    ),
    latenciesMs,
  };
}

async function closePages(pages: readonly BenchPage[]): Promise<void> {
  await Promise.all(pages.map((p) => p.context.close().catch(() => undefined)));
}

/** Our TTI: a fresh `serve DESKTOP` process and page per repetition; then a second page of the
 *  same (now warm) host opening the same desktop through `?open=`. */
async function ttiOurs(
  browser: Browser,
  root: string,
  gms: GmsProcess,
  desktopFile: string,
  desktopXml: string,
  rep: number,
): Promise<TtiRep> {
  const first = await openPage(browser, SEED_TEXT, true);
  const pages = [first];
  let served: Served | undefined;
  try {
    served = await startServe(root, gms, `tti${rep}`, desktopFile);
    const cold = await loadUntilReady(first.page, served.url, PAGE_TIMEOUT_MS);
    const inputEchoMs = await checkInput(first.page);
    const second = await openPage(browser, SEED_TEXT, true);
    pages.push(second);
    const warm = await loadUntilReady(
      second.page,
      `${served.url}&open=${encodeURIComponent(desktopXml)}`,
      PAGE_TIMEOUT_MS,
    );
    return {
      spawnToUrlMs: served.urlAt - served.spawnedAt,
      spawnToInteractiveMs: cold.readyAt - served.spawnedAt,
      navToInteractiveMs: cold.readyAt - cold.navAt,
      warmNavToInteractiveMs: warm.readyAt - warm.navAt,
      inputEchoMs,
    };
  } finally {
    await closePages(pages);
    await served?.proc.stop(3000);
  }
}

async function ttiBaseline(browser: Browser, baseline: Baseline, room: string): Promise<BaselineTtiRep> {
  const p = await openPage(browser, SEED_TEXT, false);
  try {
    const r = await loadUntilReady(p.page, baseline.pageUrl(room, 'tti'), PAGE_TIMEOUT_MS);
    return { navToInteractiveMs: r.readyAt - r.navAt, inputEchoMs: await checkInput(p.page) };
  } finally {
    await closePages([p]);
  }
}

/** N `serve NOTE` processes, one page each; page 0 types. */
async function latencyOurs(
  browser: Browser,
  root: string,
  gms: GmsProcess,
  noteFile: string,
  nodes: number,
  typing: TypingOptions,
): Promise<TypingRun> {
  const pages: BenchPage[] = [];
  const hosts: Served[] = [];
  try {
    // One after another, as people join: each host's page shows the note before the next starts.
    for (let i = 0; i < nodes; i++) {
      const h = await startServe(root, gms, `node${i + 1}`, noteFile);
      hosts.push(h);
      const p = await openPage(browser, null, false);
      pages.push(p);
      await p.page.goto(h.url, { timeout: PAGE_TIMEOUT_MS });
      try {
        await p.page.locator(EDITOR).first().waitFor({ state: 'visible', timeout: PAGE_TIMEOUT_MS });
      } catch (err) {
        const shown = (
          await p.page
            .locator('body')
            .innerText()
            .catch(() => '')
        ).slice(0, 400);
        throw new Error(
          `node ${i + 1}: no note editor (page shows: ${JSON.stringify(shown)}) ${errorText(err)}`,
        );
      }
    }
    // Every page's presence lists all N nodes: everyone has joined the note's group.
    await waitReadyToType(
      pages.map((p) => p.page),
      `Number(document.querySelector('[data-testid="presence"]')?.dataset.count ?? 0) >= ${nodes}`,
      PAGE_TIMEOUT_MS,
    );
    const [typer, ...observers] = pages.map((p) => p.page);
    if (!typer) throw new Error('no typing page');
    return await typeAndObserve(typer, observers, typing);
  } finally {
    await closePages(pages);
    await Promise.all(hosts.map((h) => h.proc.stop(3000)));
  }
}

/** N baseline pages on one y-websocket room; page 0 types. */
async function latencyBaseline(
  browser: Browser,
  baseline: Baseline,
  room: string,
  nodes: number,
  typing: TypingOptions,
): Promise<TypingRun> {
  const pages: BenchPage[] = [];
  try {
    for (let i = 0; i < nodes; i++) {
      const p = await openPage(browser, null, false);
      pages.push(p);
      await p.page.goto(baseline.pageUrl(room, `node${i + 1}`), { timeout: PAGE_TIMEOUT_MS });
    }
    await waitReadyToType(
      pages.map((p) => p.page),
      `document.body.dataset.synced === 'true' && Number(document.body.dataset.peers ?? 0) >= ${nodes}`,
      PAGE_TIMEOUT_MS,
    );
    const [typer, ...observers] = pages.map((p) => p.page);
    if (!typer) throw new Error('no typing page');
    return await typeAndObserve(typer, observers, typing);
  } finally {
    await closePages(pages);
  }
}

export async function runApp(options: AppOptions, context: BenchContext): Promise<ScenarioOutcome> {
  const { reps, 'skip-tti': skipTti, 'skip-latency': skipLatency, 'skip-baseline': skipBaseline } = options;
  const nodeCounts = options.nodes.filter((n) => n >= 2);
  const typing: TypingOptions = {
    count: options.keys,
    ratePerSec: options.rate,
    warmup: options.warmup,
    settleMs: 15_000,
  };
  const { root, progress } = context;
  const errors: string[] = [];
  const notes: string[] = [];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'liveobjects-bench-app-files-'));

  const ttiReps: TtiRep[] = [];
  const baseTtiReps: BaselineTtiRep[] = [];
  const ours = new Map<number, LatencySide>();
  const base = new Map<number, LatencySide>();
  let browser: Browser | undefined;
  let gms: GmsProcess | undefined;
  let seed: Served | undefined;
  let bridge: BridgeClient | undefined;
  let baseline: Baseline | undefined;
  const cleanups: (() => void)[] = [];
  try {
    progress(
      `starting Chromium, a GMS and the seed host${skipBaseline ? '' : '; building the baseline page'}…`,
    );
    const pageBuild = skipBaseline ? Promise.resolve(undefined) : buildBaselinePage();
    // The hosts are one team: the GMS serves its workspace, each host's home joins it.
    [browser, gms] = await Promise.all([launchBrowser(), startGms({ invitation: writeTeamInvitation(dir) })]);
    seed = await startServe(root, gms, 'seed', undefined);
    bridge = await BridgeClient.connect(seed.url);
    // The seed host keeps the desktop and its note open (a collaborator already on them), so
    // openers take their state from the group. Latency notes are created, then closed: only the
    // measured hosts are members.
    const desktop = await bridge.create('desktop', 'Bench desktop');
    const note = await bridge.create('note', 'Bench note');
    await bridge.act(note.handle, { kind: 'note.update', update: textUpdate(SEED_TEXT) });
    await bridge.act(desktop.handle, { kind: 'desktop.place', reference: note.reference, x: 40, y: 40 });
    const desktopFile = path.join(dir, 'desktop.liveobject');
    await writeFile(desktopFile, desktop.reference);
    const noteFiles = new Map<number, string>();
    for (const n of nodeCounts) {
      const ln = await bridge.create('note', `Latency note (${n} nodes)`);
      await bridge.closeObject(ln.handle);
      const file = path.join(dir, `latency-${n}.liveobject`);
      await writeFile(file, ln.reference);
      noteFiles.set(n, file);
    }
    const pageOut = await pageBuild;
    if (pageOut) {
      baseline = await startBaseline(root, pageOut);
      cleanups.push(await seedRoom(baseline.wsUrl, 'tti', SEED_TEXT));
    }

    if (!skipTti) {
      for (let i = 0; i < reps; i++) {
        progress(`time to interactive ${i + 1}/${reps}: serve desktop.liveobject → page…`);
        try {
          const r = await ttiOurs(browser, root, gms, desktopFile, desktop.reference, i + 1);
          ttiReps.push(r);
          progress(
            `  process start → interactive ${r.spawnToInteractiveMs.toFixed(0)} ms, ` +
              `navigation → interactive ${r.navToInteractiveMs.toFixed(0)} ms`,
          );
        } catch (err) {
          errors.push(`time to interactive rep ${i + 1}: ${errorText(err)}`);
        }
        if (baseline) {
          try {
            baseTtiReps.push(await ttiBaseline(browser, baseline, 'tti'));
          } catch (err) {
            errors.push(`baseline time to interactive rep ${i + 1}: ${errorText(err)}`);
          }
        }
      }
    }

    if (!skipLatency) {
      for (const n of nodeCounts) {
        progress(`latency, ${n} nodes: ${typing.count} keystrokes at ${typing.ratePerSec}/s (Live Objects)…`);
        try {
          const r = summarize(await latencyOurs(browser, root, gms, noteFiles.get(n) ?? '', n, typing));
          ours.set(n, r);
          progress(`  p50 ${String(r.p50Ms)} ms, p95 ${String(r.p95Ms)} ms`);
          if (r.missing > 0) errors.push(`Live Objects, ${n} nodes: ${r.missing} keystroke displays missing`);
        } catch (err) {
          errors.push(`Live Objects latency, ${n} nodes: ${errorText(err)}`);
        }
        if (!baseline) continue;
        progress(`latency, ${n} nodes: same pace (Yjs + y-websocket)…`);
        try {
          const r = summarize(await latencyBaseline(browser, baseline, `latency-${n}`, n, typing));
          base.set(n, r);
          progress(`  p50 ${String(r.p50Ms)} ms, p95 ${String(r.p95Ms)} ms`);
          if (r.missing > 0) errors.push(`y-websocket, ${n} nodes: ${r.missing} keystroke displays missing`);
        } catch (err) {
          errors.push(`Yjs + y-websocket latency, ${n} nodes: ${errorText(err)}`);
        }
      }
    }
  } catch (err) {
    errors.push(`setup: ${errorText(err)}`);
  } finally {
    for (const c of cleanups) c();
    bridge?.dispose();
    await baseline?.close();
    await seed?.proc.stop(3000);
    await gms?.proc.stop(1000);
    await browser?.close();
  }

  const med = (v: readonly number[]): number | null => round2(median(v));
  const ttiMissing = ttiReps.length ? {} : { note: skipTti ? 'skipped' : 'failed, see Errors' };
  const baseTtiName = 'same editor over y-websocket (note page)';
  const baseTti = med(baseTtiReps.map((r) => r.navToInteractiveMs));
  const figures: Figure[] = [
    figure({
      name: 'TTI: process start → interactive desktop (median)',
      unit: 'ms',
      value: med(ttiReps.map((r) => r.spawnToInteractiveMs)),
      ...ttiMissing,
    }),
    figure({
      name: 'TTI: process start → URL printed (median)',
      unit: 'ms',
      value: med(ttiReps.map((r) => r.spawnToUrlMs)),
      ...ttiMissing,
    }),
    figure({
      name: 'TTI: page navigation → interactive, fresh host (median)',
      unit: 'ms',
      value: med(ttiReps.map((r) => r.navToInteractiveMs)),
      baselineName: baseTtiName,
      baseline: baseTti,
      ...ttiMissing,
    }),
    figure({
      name: 'TTI: page navigation → interactive, second page of a warm host (median)',
      unit: 'ms',
      value: med(ttiReps.map((r) => r.warmNavToInteractiveMs)),
      baselineName: baseTtiName,
      baseline: baseTti,
      ...ttiMissing,
    }),
  ];
  const baseName = 'Yjs + y-websocket, same editor';
  for (const n of nodeCounts) {
    const o = ours.get(n);
    const b = base.get(n);
    const missing = o ? {} : { note: skipLatency ? 'skipped' : 'failed, see Errors' };
    for (const [label, key] of [
      ['p50', 'p50Ms'],
      ['p95', 'p95Ms'],
    ] as const) {
      figures.push(
        figure({
          name: `${n} nodes: keystroke → remote display ${label}`,
          unit: 'ms',
          value: o?.[key] ?? null,
          baselineName: baseName,
          baseline: b?.[key] ?? null,
          ...missing,
        }),
      );
    }
  }
  notes.push(
    'TTI: a desktop (.liveobject) holding a note, held open by a seed host; each repetition spawns ' +
      '`liveobjects serve FILE` with a fresh home and loads its URL in a fresh browser context. ' +
      'Interactive = the page shows the `desktop` test id and the `note-editor` is editable and shows ' +
      "the note's text (a MutationObserver in the page stamps the moment); a keystroke is then typed " +
      'and must appear (input check, not timed into TTI). "Second page of a warm host": another page ' +
      'of the same process opening the same desktop with `?open=`. The baseline page loads the same ' +
      'CodeMirror + y-codemirror.next editor over y-websocket (a note only, no desktop) from a static ' +
      'server, room held by a Node client.',
    'Latency: N `liveobjects serve NOTE` processes (fresh homes, one GMS), one Chromium page each, ' +
      'every page in its own browser context; after all pages list N members in `presence`, page 1 ' +
      `types ${typing.warmup} warm-up keys (awaited everywhere) then ${typing.count} keys at ` +
      `${typing.ratePerSec}/s with Playwright. Sent = the keydown time in the typing page (capture ` +
      "listener); displayed = when a MutationObserver on the observer page's editor sees its text " +
      'reach that length (remote-cursor widgets excluded). All (keystroke, observer) pairs pooled; ' +
      'times are `performance.timeOrigin + performance.now()`, comparable across pages on one ' +
      'machine. Baseline: the same editor page over the standard y-websocket server ' +
      '(node_modules/y-websocket/bin/server.cjs), N pages in one room, BroadcastChannel disabled, ' +
      'same typing driver and observer: browser to browser on both sides.',
  );
  return {
    parameters: {
      reps,
      nodes: nodeCounts,
      keys: typing.count,
      ratePerSec: typing.ratePerSec,
      warmupKeys: typing.warmup,
      baseline: !skipBaseline,
    },
    figures,
    notes,
    errors,
    details: {
      tti: ttiReps,
      baselineTti: baseTtiReps,
      latency: Object.fromEntries(nodeCounts.map((n) => [n, { ours: ours.get(n), baseline: base.get(n) }])),
    },
  };
}
