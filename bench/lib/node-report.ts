// Readers for what `liveobjects node` prints (`--progress` lines) and writes (`--report`).
// Field names follow src-main/cli/commands/node.ts and src-main/engine/stats.ts.

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function field(value: unknown, ...keys: string[]): unknown {
  let cur = value;
  for (const key of keys) cur = isObject(cur) ? cur[key] : undefined;
  return cur;
}

export function numberField(value: unknown, ...keys: string[]): number | null {
  const v = field(value, ...keys);
  return isNumber(v) ? v : null;
}

/** `stats.messagesDelivered` of a `--report` file. */
export function deliveredOf(report: unknown): number | undefined {
  return numberField(report, 'stats', 'messagesDelivered') ?? undefined;
}

/** Mean token round-trip time of a report; engine/stats.ts reports avg 0 before any sample. */
export function tokenRttOf(report: unknown): number | undefined {
  const v = numberField(report, 'stats', 'tokenRttMs', 'avg');
  return v !== null && v > 0 ? v : undefined;
}

/** FIFO/exactly-once/corruption counts of the report's delivery check, when non-zero. */
export function deliveryViolations(report: unknown): string[] {
  const out: string[] = [];
  for (const key of ['fifoViolations', 'duplicates', 'corrupt']) {
    const v = field(report, 'delivery', key);
    if (isNumber(v) && v > 0) out.push(`${key} ${v}`);
  }
  return out;
}

export interface LatencySummary {
  readonly samples: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The report's `latency` block (receivers run with `--latency`), if it has samples. */
export function latencyOf(report: unknown): LatencySummary | null {
  const l = field(report, 'latency');
  const get = (k: string): number => numberField(l, k) ?? Number.NaN;
  const s: LatencySummary = {
    samples: get('samples'),
    meanMs: get('meanMs'),
    p50Ms: get('p50Ms'),
    p90Ms: get('p90Ms'),
    p99Ms: get('p99Ms'),
    maxMs: get('maxMs'),
  };
  return Object.values(s).every(isNumber) && s.samples > 0 ? s : null;
}

/** One `{"t":"progress"}` line, as far as the benchmarks use it. */
export interface ProgressSample {
  /** performance.now() of the runner when the line arrived. */
  readonly t: number;
  readonly delivered: number;
  readonly sent: number;
  readonly sendDone: boolean;
  /** CPU time (user + system) of the node so far, µs; null from nodes that do not print it. */
  readonly cpuUs: number | null;
  readonly heapUsed: number | null;
  /** Messages the sender holds unacknowledged (`held`). */
  readonly held: number | null;
}

export function parseProgress(line: string, now: number): ProgressSample | undefined {
  if (!line.startsWith('{')) return undefined;
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(msg) || msg.t !== 'progress' || !isNumber(msg.delivered)) return undefined;
  return {
    t: now,
    delivered: msg.delivered,
    sent: isNumber(msg.sent) ? msg.sent : 0,
    sendDone: msg.sendDone === true,
    cpuUs: isNumber(msg.cpuUs) ? msg.cpuUs : null,
    heapUsed: isNumber(msg.heapUsed) ? msg.heapUsed : null,
    held: isNumber(msg.held) ? msg.held : null,
  };
}

/** A report for the result's details: per-stream delivery counts summarised when there are many
 * (thousands of groups would otherwise fill the JSON). */
export function compactReport(report: unknown): unknown {
  const counts = field(report, 'delivery', 'counts');
  if (!isObject(report) || !isObject(counts) || Object.keys(counts).length <= 32) return report;
  const delivery = report.delivery as Json;
  return { ...report, delivery: { ...delivery, counts: `${Object.keys(counts).length} streams (elided)` } };
}
