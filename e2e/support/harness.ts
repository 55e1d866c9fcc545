// Per-file harness: a private cluster and one Chromium, users as (host process, page) pairs,
// everything torn down in afterAll, screenshots and logs of a failed test in test-results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { waitForApp } from './app';
import { CHROMIUM, RESULTS } from './paths';
import { Cluster } from './processes';
import type { Host } from './processes';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update'];

/** Without a GPU: the 2D specs. */
const NO_GPU_ARGS = [...CHROMIUM_ARGS, '--disable-gpu'];

/** WebGL through SwiftShader for the 3D views; pages compared side by side must not be throttled. */
const WEBGL_ARGS = [
  ...CHROMIUM_ARGS,
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export interface HarnessOptions {
  /** Launch Chromium with WebGL (SwiftShader) instead of without a GPU. */
  readonly webgl?: boolean;
}

export function launchChromium(args: readonly string[]): Promise<Browser> {
  // E2E_HEADED=1 shows the browser (needs a display); E2E_SLOWMO=ms slows every action.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [...args],
    headless: process.env['E2E_HEADED'] !== '1',
    slowMo: Number(process.env['E2E_SLOWMO'] ?? 0),
  });
}

/** A user: their host process and a browser tab on it. */
export interface User {
  readonly name: string;
  readonly host: Host;
  readonly page: Page;
  /** Browser console errors and page errors, for failure reports. */
  readonly console: string[];
  /** Uncaught page errors only (specs may fail on any). */
  readonly pageErrors: string[];
}

export class Harness {
  private clusterValue: Cluster | undefined;
  private browserValue: Browser | undefined;
  private readonly contexts = new Map<Page, BrowserContext>();
  readonly users: User[] = [];

  constructor(private readonly options: HarnessOptions = {}) {}

  get cluster(): Cluster {
    if (!this.clusterValue) throw new Error('the cluster is not started (beforeAll failed?)');
    return this.clusterValue;
  }

  get browser(): Browser {
    if (!this.browserValue) throw new Error('the browser is not launched (beforeAll failed?)');
    return this.browserValue;
  }

  /** Where downloads and hand-made files go. */
  get files(): string {
    const dir = join(this.cluster.dir, 'files');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  async setUp(): Promise<void> {
    const [cluster, browser] = await Promise.allSettled([
      Cluster.start(),
      launchChromium(this.options.webgl ? WEBGL_ARGS : NO_GPU_ARGS),
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

  /** Starts one host and tab per name, concurrently. */
  usersNamed<const N extends readonly string[]>(...names: N): Promise<{ [K in keyof N]: User }> {
    return Promise.all(names.map((name) => this.user(name))) as Promise<{ [K in keyof N]: User }>;
  }

  /** Starts a host for `name` (same home as before unless given) and opens the app on it. */
  async user(name: string, options: { home?: string } = {}): Promise<User> {
    const host = await this.cluster.host(name, options);
    return this.open(host);
  }

  /** Opens a new tab on an already running host. */
  async open(host: Host): Promise<User> {
    const context = await this.browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1400, height: 900 },
    });
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
    this.contexts.set(page, context);
    await page.goto(host.url);
    await waitForApp(page, host.name);
    const user: User = { name: host.name, host, page, console: messages, pageErrors };
    this.users.push(user);
    return user;
  }

  /** Closes a user's tab (the host keeps running). */
  async close(user: User): Promise<void> {
    await this.contexts.get(user.page)?.close();
    this.contexts.delete(user.page);
  }

  /** Writes a screenshot of every open tab and every process log under test-results/. */
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

/** Registers the hooks of one e2e file and returns its harness. */
export function useHarness(options: HarnessOptions = {}): Harness {
  const harness = new Harness(options);
  beforeAll(() => harness.setUp());
  afterAll(() => harness.tearDown());
  beforeEach(({ task, onTestFailed, onTestFinished }) => {
    const name = `${task.file.name}-${task.name}`;
    onTestFailed(async () => {
      const dir = await harness.saveArtifacts(name);
      console.log(`e2e: screenshots and logs of the failure are in ${dir}`);
    });
    // E2E_ARTIFACTS=always keeps them for passing tests too.
    if (process.env['E2E_ARTIFACTS'] === 'always') {
      onTestFinished(async ({ task: t }) => {
        if (t.result?.state !== 'fail') await harness.saveArtifacts(name);
      });
    }
  });
  return harness;
}
