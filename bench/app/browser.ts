// Chromium through playwright-core, and the two browser measurements of the `app` scenario:
// time until a page is interactive, and keystroke → remote display latency between pages.
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_ARGS, NO_GPU_ARGS, UNTHROTTLED_ARGS, WEBGL_ARGS } from '../../testing/chromium';
import { delay, waitFor } from '../../testing/wait';
import { pageScript } from './page-script';
import { wallClockMs } from '../processes/control';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium; `webgl` renders WebGL through SwiftShader (the 3D views) instead of no GPU. */
export function launchBrowser(options: { readonly webgl?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Every page is measured, none may be throttled as a background tab.
    args: [...CHROMIUM_ARGS, ...(options.webgl ? WEBGL_ARGS : NO_GPU_ARGS), ...UNTHROTTLED_ARGS],
  });
}

export interface BenchPage {
  readonly context: BrowserContext;
  readonly page: Page;
}

/** A page in its own context (own renderer process, own storage), with the bench page script. */
export async function openPage(
  browser: Browser,
  waitText: string | null,
  needDesktop: boolean,
): Promise<BenchPage> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  await context.addInitScript(pageScript(waitText, needDesktop));
  const page = await context.newPage();
  return { context, page };
}

/** The note editor, in our pages and in the baseline page alike. */
export const EDITOR = '[data-testid="note-editor"]';

/** Waits until `expression` holds, polled with `page.evaluate` (CDP, so the app's CSP, which
 *  forbids eval, allows it; Playwright's waitForFunction does not). */
async function pageHolds(page: Page, expression: string, timeoutMs: number, intervalMs = 20): Promise<void> {
  await waitFor(`\`${expression}\` in the page`, async () => Boolean(await page.evaluate(expression)), {
    timeout: timeoutMs,
    interval: intervalMs,
  });
}

async function pageNumber(page: Page, expression: string): Promise<number> {
  return Number(await page.evaluate(expression));
}

/** Navigates and waits for the page script's `readyAt`; returns navigation start and ready times. */
export async function loadUntilReady(
  page: Page,
  url: string,
  timeoutMs: number,
): Promise<{ navAt: number; readyAt: number }> {
  const navAt = wallClockMs();
  await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
  await pageHolds(page, 'window.__lobench && window.__lobench.readyAt !== null', timeoutMs, 25);
  return { navAt, readyAt: await pageNumber(page, 'window.__lobench.readyAt') };
}

/** Types one character at the end of the note and waits for it (then deletes it): the editor
 *  accepts input. Returns keydown → character displayed, in ms. */
export async function checkInput(page: Page, timeoutMs = 10_000): Promise<number> {
  await page.locator(EDITOR).first().click();
  await page.keyboard.press('Control+End');
  const before = await pageNumber(page, 'window.__lobench.length()');
  await page.evaluate('window.__lobench.observe(); window.__lobench.keydowns = []');
  await page.keyboard.press('q');
  await pageHolds(page, 'window.__lobench.appear.length >= 1', timeoutMs, 10);
  const echo = await pageNumber(page, 'window.__lobench.appear[0] - window.__lobench.keydowns[0]');
  await page.keyboard.press('Backspace');
  if ((await pageNumber(page, 'window.__lobench.length()')) < before)
    throw new Error('input check: text shrank');
  return echo;
}

export interface TypingOptions {
  readonly count: number;
  readonly ratePerSec: number;
  readonly warmup: number;
  /** Per-wait timeout (ms) for the warm-up and for the last keystroke to arrive everywhere. */
  readonly settleMs: number;
}

export interface TypingRun {
  /** Keydown wall times in the typing page. */
  readonly sent: readonly number[];
  /** Per observer page: when the i-th measured keystroke appeared. */
  readonly appear: readonly (readonly number[])[];
  /** Every (keystroke, observer) latency in ms. */
  readonly latencies: readonly number[];
  readonly missing: number;
  /** Achieved typing rate (keystrokes/s between first and last keydown). */
  readonly achievedRate: number;
}

const CHARS = 'abcdefghijklmnopqrstuvwxyz';

async function typePaced(page: Page, n: number, ratePerSec: number, offset: number): Promise<void> {
  const interval = 1000 / ratePerSec;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const wait = t0 + i * interval - performance.now();
    if (wait > 0) await delay(wait);
    await page.keyboard.press(CHARS[(offset + i) % CHARS.length] ?? 'x');
  }
}

async function waitAll(pages: readonly Page[], expression: string, timeoutMs: number): Promise<boolean> {
  try {
    await Promise.all(pages.map((p) => pageHolds(p, expression, timeoutMs)));
    return true;
  } catch {
    return false;
  }
}

/** One page types `count` characters at a steady pace at the end of the shared note; every
 *  observer page records when each appears. A warm-up is typed and awaited first. */
export async function typeAndObserve(
  typer: Page,
  observers: readonly Page[],
  opts: TypingOptions,
): Promise<TypingRun> {
  await typer.locator(EDITOR).first().click();
  await typer.keyboard.press('Control+End');
  if (opts.warmup > 0) {
    await typePaced(typer, opts.warmup, opts.ratePerSec, 0);
    const len = await pageNumber(typer, 'window.__lobench.length()');
    if (!(await waitAll(observers, `window.__lobench.length() >= ${len}`, opts.settleMs))) {
      throw new Error(
        `warm-up: not every page showed the ${opts.warmup} warm-up keystrokes within ${opts.settleMs} ms`,
      );
    }
  }
  await Promise.all(observers.map((p) => p.evaluate('window.__lobench.observe()')));
  await typer.evaluate('window.__lobench.keydowns = []');
  await typePaced(typer, opts.count, opts.ratePerSec, opts.warmup);
  await waitAll(observers, `window.__lobench.appear.length >= ${opts.count}`, opts.settleMs);
  const sent = (await typer.evaluate('window.__lobench.keydowns')) as number[];
  const appear = await Promise.all(
    observers.map(async (p) => (await p.evaluate('window.__lobench.appear')) as number[]),
  );
  const latencies: number[] = [];
  let missing = 0;
  for (const a of appear) {
    for (let i = 0; i < opts.count; i++) {
      const s = sent[i];
      const t = a[i];
      if (s === undefined || t === undefined) missing++;
      else latencies.push(t - s);
    }
  }
  const first = sent[0];
  const last = sent[sent.length - 1];
  const achievedRate =
    first !== undefined && last !== undefined && last > first
      ? ((sent.length - 1) * 1000) / (last - first)
      : 0;
  return { sent, appear, latencies, missing, achievedRate };
}

/** Waits until every page shows the editor and `expression` (e.g. all peers present) holds. */
export async function waitReadyToType(
  pages: readonly Page[],
  expression: string,
  timeoutMs: number,
): Promise<void> {
  await Promise.all(
    pages.map((p) => p.locator(EDITOR).first().waitFor({ state: 'visible', timeout: timeoutMs })),
  );
  if (!(await waitAll(pages, expression, timeoutMs))) {
    throw new Error(`pages not ready within ${timeoutMs} ms (${expression})`);
  }
}
