// The result writer and ratio computation (no timing here: benchmarks are not tests).
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { figure, fileTimestamp, formatNumber, ratio, renderMarkdown, writeResult } from './results';
import type { BenchResult } from './results';

function sample(overrides: Partial<BenchResult> = {}): BenchResult {
  return {
    scenario: 'demo',
    startedAt: '2025-01-31T12:34:56.789Z',
    finishedAt: '2025-01-31T12:35:56.789Z',
    durationSec: 60,
    machine: {
      hostname: 'h',
      platform: 'linux',
      release: '6',
      arch: 'x64',
      cpus: 2,
      cpuModel: 'cpu',
      totalMemMB: 1024,
      node: 'v20',
      loadavg: [0, 0, 0],
    },
    parameters: { receivers: [1, 2] },
    figures: [
      figure({ name: 'engine msgs/s', unit: 'msgs/s', value: 5000, baselineName: 'raw', baseline: 20000 }),
      figure({ name: 'token RTT', unit: 'ms', value: null, note: 'not reported' }),
    ],
    notes: ['a note'],
    errors: [],
    ...overrides,
  };
}

describe('ratio', () => {
  it('divides value by baseline', () => {
    expect(ratio(5000, 20000)).toBe(0.25);
    expect(figure({ name: 'x', unit: 'u', value: 3, baseline: 2, baselineName: 'b' }).ratio).toBe(1.5);
  });

  it('is null when a side is missing or the baseline is zero', () => {
    expect(ratio(null, 1)).toBeNull();
    expect(ratio(1, undefined)).toBeNull();
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(Number.NaN, 1)).toBeNull();
    expect(figure({ name: 'x', unit: 'u', value: 3 }).ratio).toBeNull();
  });
});

describe('formatting', () => {
  it('keeps three significant digits and groups thousands', () => {
    expect(formatNumber(123456.7)).toBe('123,457');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(null)).toBe('n/a');
  });

  it('renders one row per figure with baseline and ratio', () => {
    const md = renderMarkdown(sample());
    expect(md).toContain('| engine msgs/s | 5,000 | raw | 20,000 | 0.250× | msgs/s |');
    expect(md).toContain('| token RTT | n/a (not reported) | — | — | n/a | ms |');
    expect(md).toContain('- a note');
    expect(md).not.toContain('Errors');
    expect(renderMarkdown(sample({ errors: ['engine failed'] }))).toContain('- engine failed');
  });

  it('makes file-safe timestamps', () => {
    expect(fileTimestamp(new Date('2025-01-31T12:34:56.789Z'))).toBe('2025-01-31T12-34-56Z');
  });
});

describe('writeResult', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes timestamped and latest JSON + markdown', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bench-results-'));
    const files = await writeResult(dir, sample());
    expect(path.basename(files.json)).toBe('demo-2025-01-31T12-34-56Z.json');
    expect((await readdir(dir)).sort()).toEqual([
      'demo-2025-01-31T12-34-56Z.json',
      'demo-2025-01-31T12-34-56Z.md',
      'demo-latest.json',
      'demo-latest.md',
    ]);
    const parsed = JSON.parse(await readFile(path.join(dir, 'demo-latest.json'), 'utf8')) as BenchResult;
    expect(parsed.figures[0]?.ratio).toBe(0.25);
  });
});
