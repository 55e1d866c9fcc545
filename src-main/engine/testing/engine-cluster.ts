// A private GMS and `liveobjects node` processes for the engine's multi-process tests, with
// what each node's JSON lines (progress, ready, api-node.ts events) said so far. Each process
// runs on loopback or at a given Place (a simulated machine of testing/netns.ts).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateNetworkArgs, spawnCli, spawnTsx, startGms } from '../../../testing/liveobjects';
import type { GmsProcess } from '../../../testing/liveobjects';
import { LOOPBACK, nodeAddressArgs } from '../../../testing/place';
import type { Place } from '../../../testing/place';
import type { ExitStatus, ManagedProcess } from '../../../testing/processes';

const API_NODE = join(import.meta.dirname, 'api-node.ts');

export interface Progress {
  sent: number;
  sendDone: boolean;
  delivered: number;
  held: number;
  cached: number;
  members: [string, number][];
  /** [region, 'multicast' | 'unicast'] for each region the node sends to. */
  regions?: [string, string][];
}

/** A node process: its latest progress line, its id once ready, and its other JSON lines. */
export class NodeProcess {
  last: Progress | undefined;
  id: string | undefined;
  /** JSON lines other than progress (api-node.ts events), in order. */
  readonly events: { t?: string; [k: string]: unknown }[] = [];

  constructor(
    readonly proc: ManagedProcess,
    /** The --report file of a `liveobjects node` ('' for an api node). */
    readonly report = '',
  ) {
    proc.onJson((message) => {
      const line = message as unknown as { t?: string; id?: string } & Progress;
      if (line.t === 'progress') {
        this.last = line;
        return;
      }
      if (line.t === 'ready') this.id = line.id;
      this.events.push({ ...line });
    });
  }

  signal(signal: NodeJS.Signals): void {
    this.proc.signal(signal);
  }

  /** SIGTERM and wait for a clean exit (the node writes its report). */
  stop(): Promise<ExitStatus> {
    return this.proc.stop(10_000);
  }
}

/** `liveobjects node` options of a member of group a that sends it `count` messages at `rate`/s
 * once the group has `members` members. */
export function senderArgs(count: number, rate: number, members: number): string[] {
  return [
    '--join',
    'a',
    '--to',
    'a',
    '--count',
    `${count}`,
    '--send',
    `${rate}`,
    '--wait-members',
    `${members}`,
  ];
}

export class EngineCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'qsm-'));
  readonly nodes: NodeProcess[] = [];
  /** The running GMS (the latest, after a restart). */
  gms: GmsProcess | undefined;
  private readonly gmsProcesses: ManagedProcess[] = [];
  gmsPort = 0;
  /** The GMS's address (its Place's). */
  gmsHost = LOOPBACK.address;
  private n = 0;

  /** Starts the GMS (again on `port` after a restart) on a private multicast block and ports,
   * listening on `place`'s address. */
  async startGms(extra: string[] = [], port?: number, place: Place = LOOPBACK): Promise<void> {
    this.gms = await startGms({
      host: place.address,
      via: place.via,
      port: port ?? 0,
      args: [...privateNetworkArgs(), ...extra],
    });
    this.gmsProcesses.push(this.gms.proc);
    this.gmsPort = this.gms.port;
    this.gmsHost = place.address;
  }

  /** A `liveobjects node` at `place`, bound to its address. */
  node(args: string[], place: Place = LOOPBACK): NodeProcess {
    const report = join(this.dir, `node${this.n++}.json`);
    const proc = spawnCli(
      `node ${this.n}`,
      [
        'node',
        '--gms',
        `${this.gmsHost}:${this.gmsPort}`,
        ...nodeAddressArgs(place),
        '--report',
        report,
        '--progress',
        '200',
        ...args,
      ],
      { via: place.via },
    );
    return this.add(new NodeProcess(proc, report));
  }

  /** A node driven through the engine API (testing/api-node.ts). */
  apiNode(args: string[]): NodeProcess {
    return this.add(
      new NodeProcess(spawnTsx('api node', API_NODE, ['--gms', `${this.gmsHost}:${this.gmsPort}`, ...args])),
    );
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.nodes.map((n) => n.proc), ...this.gmsProcesses].map((p) => p.kill()));
  }

  private add(node: NodeProcess): NodeProcess {
    this.nodes.push(node);
    return node;
  }
}

export interface Report {
  id: string;
  sent: number;
  sendDone: boolean;
  stats: {
    messagesDelivered: number;
    senderHeldMessages: number;
    cachedMessages: number;
    dropped: Record<string, number>;
    [k: string]: unknown;
  };
  delivery: {
    counts: Record<string, number>;
    fifoViolations: number;
    duplicates: number;
    gaps: number;
    corrupt: number;
    next?: Record<string, number>;
  };
}

export function readReport(file: string): Report {
  return JSON.parse(readFileSync(file, 'utf8')) as Report;
}
