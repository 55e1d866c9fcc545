// The shared result writer: every scenario reports figures side by side with a baseline measured
// in the same run (ARCHITECTURE.md: "measured, not guessed"), written as JSON + markdown.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** One measured number; `null` means it could not be measured (see `note`). */
export interface Figure {
  readonly name: string;
  readonly unit: string;
  readonly value: number | null;
  /** What the figure is compared against, e.g. "raw UDP multicast"; absent when there is none. */
  readonly baselineName?: string;
  readonly baseline?: number | null;
  /** value / baseline, computed by `figure()`; null when either side is missing. */
  readonly ratio: number | null;
  readonly note?: string;
}

export interface MachineInfo {
  readonly hostname: string;
  readonly platform: string;
  readonly release: string;
  readonly arch: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemMB: number;
  readonly node: string;
  /** 1/5/15-minute load when the run started: other work on the machine skews the numbers. */
  readonly loadavg: readonly number[];
}

export interface BenchResult {
  readonly scenario: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationSec: number;
  readonly machine: MachineInfo;
  /** Load average when the run finished (the machine's is from the start). */
  readonly loadavgEnd?: readonly number[];
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly figures: readonly Figure[];
  readonly notes: readonly string[];
  /** Parts that failed; the other figures are still valid. */
  readonly errors: readonly string[];
  readonly details?: unknown;
}

/** value / baseline, or null when the ratio would be meaningless. */
export function ratio(value: number | null | undefined, baseline: number | null | undefined): number | null {
  if (value === null || value === undefined || baseline === null || baseline === undefined) return null;
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return null;
  return value / baseline;
}

export function figure(init: Omit<Figure, 'ratio'>): Figure {
  return { ...init, ratio: ratio(init.value, init.baseline) };
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemMB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    loadavg: loadavg(),
  };
}

export function loadavg(): number[] {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}

/** Three significant digits, without exponent notation for the magnitudes we report. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  const digits = Math.max(0, 2 - Math.floor(Math.log10(abs)));
  return value.toFixed(Math.min(digits, 6));
}

export function formatRatio(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(value >= 10 ? 1 : 3)}×`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(result: BenchResult): string {
  const m = result.machine;
  const lines = [
    `# Benchmark \`${result.scenario}\``,
    '',
    `${result.startedAt} · ${result.durationSec.toFixed(0)} s · ${m.cpus} × ${m.cpuModel} · ` +
      `${m.totalMemMB} MB · Node ${m.node} · ${m.platform} ${m.release} · load ${m.loadavg.join(' ')}` +
      (result.loadavgEnd ? ` → ${result.loadavgEnd.join(' ')}` : ''),
    '',
    `Parameters: ${Object.entries(result.parameters)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ')}`,
    '',
    '| Figure | Value | Baseline | Baseline value | Ratio | Unit |',
    '| --- | ---: | --- | ---: | ---: | --- |',
  ];
  for (const f of result.figures) {
    const value = f.value === null && f.note ? `n/a (${f.note})` : formatNumber(f.value);
    lines.push(
      `| ${cell(f.name)} | ${cell(value)} | ${cell(f.baselineName ?? '—')} | ` +
        `${f.baselineName ? formatNumber(f.baseline) : '—'} | ${formatRatio(f.ratio)} | ${cell(f.unit)} |`,
    );
  }
  if (result.notes.length > 0) {
    lines.push('', 'Notes:', '', ...result.notes.map((n) => `- ${n}`));
  }
  if (result.errors.length > 0) {
    lines.push('', 'Errors (the figures above that do not depend on these are valid):', '');
    lines.push(...result.errors.map((e) => `- ${e.split('\n').join('\n  ')}`));
  }
  return lines.join('\n') + '\n';
}

/** `2025-01-31T12-34-56Z`: sortable and valid in file names everywhere. */
export function fileTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

export interface WrittenFiles {
  readonly json: string;
  readonly markdown: string;
}

/** Writes `<scenario>-<timestamp>.{json,md}` and overwrites `<scenario>-latest.{json,md}`. */
export async function writeResult(dir: string, result: BenchResult): Promise<WrittenFiles> {
  await mkdir(dir, { recursive: true });
  const json = JSON.stringify(result, null, 2) + '\n';
  const markdown = renderMarkdown(result);
  const stamp = fileTimestamp(new Date(result.startedAt));
  const base = path.join(dir, `${result.scenario}-${stamp}`);
  const latest = path.join(dir, `${result.scenario}-latest`);
  await Promise.all([
    writeFile(`${base}.json`, json),
    writeFile(`${base}.md`, markdown),
    writeFile(`${latest}.json`, json),
    writeFile(`${latest}.md`, markdown),
  ]);
  return { json: `${base}.json`, markdown: `${base}.md` };
}
