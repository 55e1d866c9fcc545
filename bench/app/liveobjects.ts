// Our side of the `app` scenario: `liveobjects serve` processes (the web shell) and the note
// text the seed host writes. The GMS is bench/lib/gms.ts; the Node bridge client that sets up the
// shared objects is bench/lib/bridge.ts.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { cliPath } from '../lib/gms';
import { BenchProcess } from '../lib/proc';
import { wallClockMs } from '../processes/control';
import { waitForLine } from './util';

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
  const spawnedAt = wallClockMs();
  const proc = new BenchProcess(`liveobjects serve (${name})`, process.execPath, args, root);
  try {
    const line = await waitForLine(proc, /^Live Objects at (\S+)/, timeoutMs);
    return { proc, url: line.text, spawnedAt, urlAt: line.atMs };
  } catch (err) {
    await proc.stop(1000);
    throw err;
  }
}

/** A Yjs update inserting `text` into a note's `Y.Text('text')`. */
export function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('text').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}
