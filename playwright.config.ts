// End-to-end tests (e2e/*.e2e.ts): real `liveobjects serve` host processes, one per user, driven
// through Debian's Chromium. One worker: every test starts a cluster of host processes, and a
// 2-core machine has no room for two at once. Timeouts are generous for the same reason.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, NO_GPU_ARGS, UNTHROTTLED_ARGS, WEBGL_ARGS } from './testing/chromium';
import { CHROMIUM } from './e2e/support/paths';

/** The specs that draw 3D views need WebGL. */
const WEBGL_SPECS = /space3d\.e2e\.ts$/;

const launchOptions = (args: readonly string[]) => ({
  executablePath: CHROMIUM,
  args: [...args],
  // E2E_SLOWMO=ms slows every action down (with --headed, to watch).
  slowMo: Number(process.env['E2E_SLOWMO'] ?? 0),
});

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.e2e.ts',
  globalSetup: './e2e/support/global-setup.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  timeout: 120_000,
  expect: { timeout: 30_000 },
  // bin/test.js reads the JSON report (PLAYWRIGHT_JSON_OUTPUT_FILE moves it).
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: { mode: 'only-on-failure', fullPage: true },
  },
  projects: [
    {
      name: 'app',
      testIgnore: WEBGL_SPECS,
      use: { launchOptions: launchOptions([...CHROMIUM_ARGS, ...NO_GPU_ARGS]) },
    },
    {
      name: 'webgl',
      testMatch: WEBGL_SPECS,
      // Pages compared side by side must not be throttled as background tabs.
      use: { launchOptions: launchOptions([...CHROMIUM_ARGS, ...WEBGL_ARGS, ...UNTHROTTLED_ARGS]) },
    },
  ],
});
