// Parsing of `liveobjects node` output and the node command's benchmark flags (no timing).
import { describe, expect, it } from 'vitest';
import { parseNodeArgs } from '../../src-main/cli/commands/node';
import { findNatsServer } from './nats';
import { deliveryViolations, latencyOf, parseProgress } from './node-report';

describe('node output', () => {
  it('reads progress lines with and without CPU/heap fields', () => {
    const line = JSON.stringify({
      t: 'progress',
      sent: 5,
      sendDone: true,
      delivered: 3,
      cpuUs: 1200,
      heapUsed: 9,
    });
    expect(parseProgress(line, 42)).toEqual({
      t: 42,
      delivered: 3,
      sent: 5,
      sendDone: true,
      cpuUs: 1200,
      heapUsed: 9,
      held: null,
    });
    expect(parseProgress('{"t":"progress","delivered":1}', 1)?.cpuUs).toBeNull();
    expect(parseProgress('{"t":"ready"}', 1)).toBeUndefined();
    expect(parseProgress('not json', 1)).toBeUndefined();
  });

  it('reads latency and delivery checks from a report', () => {
    const report = {
      latency: { samples: 10, meanMs: 1, p50Ms: 0.5, p90Ms: 2, p99Ms: 3, maxMs: 4 },
      delivery: { fifoViolations: 0, duplicates: 2, corrupt: 0 },
    };
    expect(latencyOf(report)?.p99Ms).toBe(3);
    expect(latencyOf({ latency: { samples: 0 } })).toBeNull();
    expect(deliveryViolations(report)).toEqual(['duplicates 2']);
  });
});

describe('node command benchmark flags', () => {
  it('parses --burst, --group-count and --latency additively', () => {
    const a = parseNodeArgs([
      '--gms',
      '127.0.0.1:1',
      '--to',
      'g',
      '--group-count',
      '3',
      '--latency',
      '--burst',
      '1000:10',
    ]);
    expect(a.join).toEqual(['g-0', 'g-1', 'g-2']);
    expect(a.latency).toBe(true);
    expect(a.size).toBeGreaterThanOrEqual(12);
    expect(a.tun.faults).toEqual({ burstMs: 10, burstEveryMs: 1000 });
    const b = parseNodeArgs(['--gms=127.0.0.1:1', '--join', 'x', '--burst=1000:10']);
    expect(b.join).toEqual(['x']);
    expect(b.tun.faults).toEqual({ burstEveryMs: 1000, burstMs: 10 });
  });
});

describe('nats-server lookup', () => {
  it('returns null for a binary that is not there', () => {
    expect(findNatsServer('/nonexistent/nats-server')).toBeNull();
  });
});
