// Our side of the `app` scenario: a GMS, `liveobjects serve` processes (the web shell), and a
// small Node client of the web shell's bridge protocol that sets up the shared objects.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { BenchProcess } from '../lib/proc';
import { freeTcpPort, waitForLine, waitForPort, wallMs } from './util';

export interface Gms {
  readonly addr: string;
  readonly proc: BenchProcess;
}

export async function startGms(root: string): Promise<Gms> {
  const port = await freeTcpPort();
  const addr = `127.0.0.1:${port}`;
  const proc = new BenchProcess(
    'liveobjects gms',
    process.execPath,
    [cliPath(root), 'gms', '--listen', addr],
    root,
  );
  await waitForPort(proc, port);
  return { addr, proc };
}

const cliPath = (root: string): string => path.join(root, 'bin', 'liveobjects.js');

export interface Served {
  readonly proc: BenchProcess;
  readonly url: string;
  /** Wall time just before the spawn and when the URL line arrived. */
  readonly spawnedAt: number;
  readonly urlAt: number;
}

/** `liveobjects serve [FILE] --port 0 --gms G --home <fresh> --name NAME`, up to its URL line. */
export async function startServe(
  root: string,
  gms: string,
  name: string,
  file: string | undefined,
  timeoutMs = 60_000,
): Promise<Served> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'liveobjects-bench-app-'));
  const args = [cliPath(root), 'serve', ...(file ? [file] : []), '--port', '0', '--gms', gms];
  args.push('--home', home, '--name', name);
  const spawnedAt = wallMs();
  const proc = new BenchProcess(`liveobjects serve (${name})`, process.execPath, args, root);
  try {
    const line = await waitForLine(proc, /^Live Objects at (\S+)/, timeoutMs);
    return { proc, url: line.text, spawnedAt, urlAt: line.atMs };
  } catch (err) {
    await proc.stop(1000);
    throw err;
  }
}

interface Reply {
  readonly id?: number;
  readonly ok?: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

export interface Opened {
  readonly handle: string;
  readonly reference: string;
}

/** A bridge session over the web shell's WebSocket (`/bridge?token=…`), as a renderer would open. */
export class BridgeClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as Reply;
      if (frame.id === undefined) return;
      const p = this.pending.get(frame.id);
      if (!p) return;
      this.pending.delete(frame.id);
      clearTimeout(p.timer);
      if (frame.ok) p.resolve(frame.result);
      else p.reject(new Error(frame.error ?? 'bridge call failed'));
    });
  }

  static connect(pageUrl: string): Promise<BridgeClient> {
    const url = new URL(pageUrl);
    const token = url.searchParams.get('token') ?? '';
    const ws = new WebSocket(`ws://${url.host}/bridge?token=${encodeURIComponent(token)}`, {
      origin: `http://${url.host}`,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new BridgeClient(ws)));
      ws.once('error', reject);
    });
  }

  call(command: string, args: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, command, args }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(id)) reject(new Error(`bridge ${command}: no reply within 30 s`));
      }, 30_000);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  async create(template: string, title: string): Promise<Opened> {
    const r = (await this.call('create', { template, title })) as Opened;
    return { handle: r.handle, reference: r.reference };
  }

  act(handle: string, intent: Record<string, unknown>): Promise<unknown> {
    return this.call('act', { handle, intent });
  }

  close(): void {
    this.ws.close();
  }
}

/** A Yjs update (base64) inserting `text` into a note's `Y.Text('text')`. */
export function textUpdate(text: string): string {
  const doc = new Y.Doc();
  doc.getText('text').insert(0, text);
  return Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
}
