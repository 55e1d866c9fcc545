// End-to-end tests: real host processes (`liveobjects serve`) driven through Debian Chromium.
// Files run one at a time: each starts its own GMS and hosts, and a 2-core machine has no room
// for two clusters at once.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/support/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});
