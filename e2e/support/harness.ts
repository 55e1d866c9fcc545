// The end-to-end fixtures: `app` is a private cluster (a GMS and one `liveobjects serve` host per
// user) and the users' pages in the worker's Chromium (playwright.config.ts launches it). It is
// torn down after the test; when the test failed, every process's output and every page's
// console messages are attached to its report (test-results/<test>/), next to Playwright's own
// screenshots and trace. A file whose tests build on each other shares one `App` through
// `useSharedApp()` instead.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import type { Browser, BrowserContext, Page, TestInfo } from '@playwright/test';
import { waitForApp } from './app';
import { AppCluster } from './cluster';
import type { Host } from './cluster';
import type { ManagedProcess } from '../../testing/processes';

export { expect } from '@playwright/test';

/** A user: their host process and a browser tab on it. */
export interface User {
  readonly name: string;
  readonly host: Host;
  readonly page: Page;
  /** Browser console errors and warnings and page errors, for failure reports. */
  readonly console: string[];
  /** Uncaught page errors only (specs may fail on any). */
  readonly pageErrors: string[];
}

/**
 * Opens a tab on a running host in a new context of `browser`, recording its console, and waits
 * until the app greets the host's user.
 */
export async function openUser(
  browser: Browser,
  host: Host,
): Promise<{ user: User; context: BrowserContext }> {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
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
  return { user: { name: host.name, host, page, console: messages, pageErrors }, context };
}

/**
 * Attaches the output of `processes`, the console messages of `users` and any `extra` texts to
 * the test's report, written under `dir`/logs first.
 */
export async function attachLogs(
  testInfo: TestInfo,
  dir: string,
  processes: ReadonlyArray<{ label: string; proc: ManagedProcess }>,
  users: readonly User[],
  extra: ReadonlyArray<{ name: string; text: string }> = [],
): Promise<void> {
  const logs = [
    ...extra,
    ...processes.map(({ label, proc }) => ({ name: `${label}.log`, text: proc.log() })),
    ...users.map((u, i) => ({ name: `${i}-${u.name}-console.log`, text: u.console.join('\n') })),
  ];
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  for (const { name, text } of logs) {
    // Written beside the cluster (removed with it); attach copies them into test-results/.
    const path = join(logDir, name);
    writeFileSync(path, text);
    await testInfo.attach(name, { path, contentType: 'text/plain' });
  }
}

export class App {
  private readonly contexts = new Map<Page, BrowserContext>();
  readonly users: User[] = [];

  private constructor(
    private readonly browser: Browser,
    readonly cluster: AppCluster,
  ) {}

  static async start(browser: Browser): Promise<App> {
    return new App(browser, await AppCluster.start());
  }

  /** Where downloads and hand-made files go. */
  get files(): string {
    const dir = join(this.cluster.dir, 'files');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Starts one host and tab per name, concurrently. */
  usersNamed<const N extends readonly string[]>(...names: N): Promise<{ [K in keyof N]: User }> {
    return Promise.all(names.map((name) => this.user(name))) as Promise<{ [K in keyof N]: User }>;
  }

  /** Starts a host for `name` (same home as before unless given) and opens the app on it. */
  async user(name: string, options: { home?: string } = {}): Promise<User> {
    return this.open(await this.cluster.host(name, options));
  }

  /** Opens a new tab, in a context of its own, on a running host. */
  async open(host: Host): Promise<User> {
    const { user, context } = await openUser(this.browser, host);
    this.contexts.set(user.page, context);
    this.users.push(user);
    return user;
  }

  /** Closes a user's tab (the host keeps running). */
  async close(user: User): Promise<void> {
    await this.contexts.get(user.page)?.close();
    this.contexts.delete(user.page);
  }

  /** Attaches every process's output and every tab's console messages to the test's report. */
  attachLogs(testInfo: TestInfo): Promise<void> {
    return attachLogs(testInfo, this.cluster.dir, this.cluster.processes(), this.users);
  }

  /** Closes the tabs, stops every host (SIGTERM, then SIGKILL) and the GMS. */
  async dispose(): Promise<void> {
    await Promise.all([...this.contexts.values()].map((c) => c.close().catch(() => undefined)));
    this.contexts.clear();
    await this.cluster.dispose();
  }
}

/** Logs go with a failed test; E2E_ARTIFACTS=always keeps them for passing tests too. */
function wantsLogs(testInfo: TestInfo): boolean {
  return testInfo.status !== testInfo.expectedStatus || process.env['E2E_ARTIFACTS'] === 'always';
}

/** A fixture's processes and pages: used by the test, then disposed (logs first, if wanted). */
export async function useThenDispose<
  T extends { attachLogs(t: TestInfo): Promise<void>; dispose(): Promise<void> },
>(fixture: T, use: (fixture: T) => Promise<void>, testInfo: TestInfo): Promise<void> {
  try {
    await use(fixture);
  } finally {
    if (wantsLogs(testInfo)) await fixture.attachLogs(testInfo);
    await fixture.dispose();
  }
}

export const test = base.extend<{ app: App }>({
  app: [
    async ({ browser }, use, testInfo) => useThenDispose(await App.start(browser), use, testInfo),
    // Starting and stopping a cluster has its own time, apart from the test's.
    { timeout: 90_000 },
  ],
});

/**
 * For a file whose tests build on each other: they run in order (a failure skips the rest) and
 * share one App, started before the first and disposed after the last. Returns its getter.
 */
export function useSharedApp(): () => App {
  let app: App | undefined;
  test.describe.configure({ mode: 'serial' });
  test.beforeAll(async ({ browser }) => {
    app = await App.start(browser);
  });
  test.afterEach(async () => {
    if (app && wantsLogs(test.info())) await app.attachLogs(test.info());
  });
  test.afterAll(async () => {
    await app?.dispose();
  });
  return () => {
    if (!app) throw new Error('the shared app is not started (beforeAll failed?)');
    return app;
  };
}
