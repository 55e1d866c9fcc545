// Support for the 3D end-to-end spec: a harness whose Chromium renders WebGL (SwiftShader; the
// shared harness disables the GPU), page-error tracking, the `window.__liveobjects3d` debug
// hook (docs/renderer.md, "3D views") read through `page.evaluate`, and synthetic 3D drops.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { waitForApp } from './app';
import { CHROMIUM, RESULTS } from './paths';
import { Cluster } from './processes';
import type { Host } from './processes';
import { waitFor } from './wait';

export const CHROMIUM_3D_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  // Two pages are compared at once; neither may be throttled as a background tab.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export interface User3D {
  readonly name: string;
  readonly host: Host;
  readonly page: Page;
  /** Console errors/warnings and page errors, for failure reports. */
  readonly console: string[];
  /** Uncaught page errors only: a test fails on any. */
  readonly pageErrors: string[];
}

/** The shared harness's lifecycle (private GMS, hosts, artifacts) with a WebGL-capable Chromium. */
export class Harness3D {
  private clusterValue: Cluster | undefined;
  private browserValue: Browser | undefined;
  readonly users: User3D[] = [];
  private readonly contexts: BrowserContext[] = [];

  get cluster(): Cluster {
    if (!this.clusterValue) throw new Error('the cluster is not started (beforeAll failed?)');
    return this.clusterValue;
  }

  get files(): string {
    const dir = join(this.cluster.dir, 'files');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  async setUp(): Promise<void> {
    const [cluster, browser] = await Promise.allSettled([
      Cluster.start(),
      chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_3D_ARGS,
        headless: process.env['E2E_HEADED'] !== '1',
        slowMo: Number(process.env['E2E_SLOWMO'] ?? 0),
      }),
    ]);
    if (cluster.status === 'fulfilled') this.clusterValue = cluster.value;
    if (browser.status === 'fulfilled') this.browserValue = browser.value;
    if (cluster.status === 'rejected') throw cluster.reason;
    if (browser.status === 'rejected') throw browser.reason;
  }

  async tearDown(): Promise<void> {
    await this.browserValue?.close().catch(() => undefined);
    await this.clusterValue?.dispose();
  }

  usersNamed<const N extends readonly string[]>(...names: N): Promise<{ [K in keyof N]: User3D }> {
    return Promise.all(names.map((name) => this.user(name))) as Promise<{ [K in keyof N]: User3D }>;
  }

  async user(name: string): Promise<User3D> {
    if (!this.browserValue) throw new Error('the browser is not launched (beforeAll failed?)');
    const host = await this.cluster.host(name);
    const context = await this.browserValue.newContext({
      acceptDownloads: true,
      viewport: { width: 1400, height: 900 },
    });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const messages: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => {
      messages.push(`pageerror: ${e.message}`);
      pageErrors.push(e.message);
    });
    await page.goto(host.url);
    await waitForApp(page, host.name);
    const user: User3D = { name, host, page, console: messages, pageErrors };
    this.users.push(user);
    return user;
  }

  async saveArtifacts(testName: string): Promise<string> {
    const dir = join(RESULTS, testName.replace(/[^\w.-]+/g, '_').slice(0, 120));
    mkdirSync(dir, { recursive: true });
    for (const [i, user] of this.users.entries()) {
      if (user.page.isClosed()) continue;
      const base = join(dir, `${i}-${user.name}`);
      await user.page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5_000 }).catch(() => {});
      writeFileSync(`${base}-console.log`, user.console.join('\n'));
    }
    for (const { label, log } of this.clusterValue?.logs() ?? []) {
      writeFileSync(join(dir, `${label}.log`), log);
    }
    return dir;
  }
}

/** Registers the hooks of the 3D spec file (same artifacts on failure as `useHarness`). */
export function useHarness3D(): Harness3D {
  const harness = new Harness3D();
  beforeAll(() => harness.setUp());
  afterAll(() => harness.tearDown());
  beforeEach(({ task, onTestFailed, onTestFinished }) => {
    const name = `${task.file.name}-${task.name}`;
    onTestFailed(async () => {
      const dir = await harness.saveArtifacts(name);
      console.log(`e2e: screenshots and logs of the failure are in ${dir}`);
    });
    if (process.env['E2E_ARTIFACTS'] === 'always') {
      onTestFinished(async ({ task: t }) => {
        if (t.result?.state !== 'fail') await harness.saveArtifacts(name);
      });
    }
  });
  return harness;
}

// --- the debug hook (shapes from src-renderer/views/spatial/debug-hook.ts) ---

export type Vec3 = [number, number, number];

export interface ShownObject3D {
  readonly space: string;
  readonly id: string;
  readonly kind: string;
  readonly title: string;
  readonly handle?: string;
  readonly position: Vec3;
}

export interface ShownPose3D {
  readonly position: Vec3;
  readonly mode: string;
  readonly callsign: string;
  readonly itemId?: string;
  readonly at: number;
}

export interface TrackPose3D {
  readonly track: number;
  readonly t: number;
  readonly position: Vec3;
  readonly velocity: Vec3;
  readonly mode: string;
}

export function objects3d(page: Page): Promise<ShownObject3D[]> {
  return page.evaluate(() => {
    const hook = (window as unknown as { __liveobjects3d?: { objects(): ShownObject3D[] } }).__liveobjects3d;
    return hook ? hook.objects() : [];
  });
}

export function poses3d(page: Page): Promise<Record<string, ShownPose3D>> {
  return page.evaluate(() => {
    const hook = (window as unknown as { __liveobjects3d?: { poses(): Record<string, ShownPose3D> } })
      .__liveobjects3d;
    return hook ? hook.poses() : {};
  });
}

/** `streamPoses(atMs)` of one handle, plus the page's wall clock when it was evaluated. */
export function streamPoses3d(
  page: Page,
  atMs?: number,
): Promise<{ poses: Record<string, TrackPose3D[]>; wall: number }> {
  return page.evaluate((at) => {
    const hook = (
      window as unknown as {
        __liveobjects3d?: { streamPoses(atMs?: number): Record<string, TrackPose3D[]> };
      }
    ).__liveobjects3d;
    const wall = performance.timeOrigin + performance.now();
    return { poses: hook ? hook.streamPoses(at ?? undefined) : {}, wall };
  }, atMs ?? null);
}

export function project3d(page: Page, view: string, point: Vec3): Promise<{ x: number; y: number } | null> {
  return page.evaluate(
    ({ view, point }) => {
      const hook = (
        window as unknown as {
          __liveobjects3d?: { project(h: string, p: Vec3): { x: number; y: number } | undefined };
        }
      ).__liveobjects3d;
      return hook?.project(view, point) ?? null;
    },
    { view, point },
  );
}

/** Waits until the spaces of `page` show an object matching `match`; returns it. */
export function waitForObject(
  page: Page,
  what: string,
  match: (o: ShownObject3D) => boolean,
): Promise<ShownObject3D> {
  return waitFor(what, async () => (await objects3d(page)).find(match));
}

/** Dispatches dragenter/dragover/drop of `data` (MIME → string) at client point (x, y) on `target`. */
export async function dropData(target: Locator, data: Record<string, string>, at: { x: number; y: number }) {
  await target.evaluate(
    (el, { data, at }) => {
      const transfer = new DataTransfer();
      for (const [type, value] of Object.entries(data)) transfer.setData(type, value);
      const init = { dataTransfer: transfer, clientX: at.x, clientY: at.y, bubbles: true, cancelable: true };
      for (const type of ['dragenter', 'dragover', 'drop']) el.dispatchEvent(new DragEvent(type, init));
    },
    { data, at },
  );
}

/** The client-pixel centre of a locator. */
export async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}
