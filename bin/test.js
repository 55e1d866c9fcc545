#!/usr/bin/env node
// `npm test`: every stage in order — lint, type-check, build, unit and multi-process tests
// (Vitest), end-to-end tests (Playwright) — then one summary line that counts the tests of every
// stage from the runners' JSON reports. Later stages still run when an earlier one fails, so one
// run shows everything that is wrong.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const reports = mkdtempSync(join(tmpdir(), 'liveobjects-test-'));
const vitestJson = (name) => [
  `--reporter=default`,
  `--reporter=json`,
  `--outputFile.json=${join(reports, name)}`,
];

const stages = [
  { name: 'lint', command: ['npm', 'run', '-s', 'lint'] },
  { name: 'typecheck', command: ['npm', 'run', '-s', 'typecheck'] },
  { name: 'build', command: ['npm', 'run', '-s', 'build'] },
  {
    name: 'unit',
    command: ['npm', 'run', '-s', 'test:unit', '--', ...vitestJson('unit.json')],
    report: 'unit.json',
  },
  {
    name: 'e2e',
    command: ['npm', 'run', '-s', 'test:e2e'],
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: join(reports, 'e2e.json') },
    report: 'e2e.json',
  },
];

/** Passed, failed and skipped tests in a Vitest or a Playwright JSON report. */
function counts(report) {
  if (report.stats) {
    // Playwright: a flaky test (failed, then passed on a retry) counts as passed; there are no
    // retries unless asked for (--retries). Skipped tests include fixme'd and skip()ped ones.
    const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats;
    return { passed: expected + flaky, failed: unexpected, skipped };
  }
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedStages = [];
for (const stage of stages) {
  const started = Date.now();
  console.log(`\n== ${stage.name}: ${stage.command.join(' ')}`);
  const run = spawnSync(stage.command[0], stage.command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, ...stage.env },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (stage.report) {
    const path = join(reports, stage.report);
    if (existsSync(path)) {
      const stageCounts = counts(JSON.parse(readFileSync(path, 'utf8')));
      for (const key of Object.keys(totals)) totals[key] += stageCounts[key];
    }
  }
  if (run.status !== 0) failedStages.push(stage.name);
  console.log(
    `== ${stage.name}: ${run.status === 0 ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`} in ${seconds} s`,
  );
}

console.log('');
if (failedStages.length) console.log(`Failed stages: ${failedStages.join(', ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStages.length ? 1 : 0);
