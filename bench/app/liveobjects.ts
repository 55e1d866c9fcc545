// Our side of the `app` scenario: `liveobjects serve` processes (the web shell) and the note
// text the seed host writes. The GMS is testing/liveobjects.ts's; the Node bridge client that
// sets up the shared objects is bench/lib/bridge.ts.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { spawnCli } from '../../testing/liveobjects';
import { joinTeam } from '../../src-main/host/workspace/testing/team';
import type { GmsProcess } from '../../testing/liveobjects';
import type { ManagedProcess } from '../../testing/processes';
import { wallClockMs } from '../processes/control';

export interface Served {
  readonly proc: ManagedProcess;
  readonly url: string;
  /** Wall time just before the spawn and when the URL line arrived. */
  readonly spawnedAt: number;
  readonly urlAt: number;
}

/** `liveobjects serve [FILE] --port 0 --gms G --home <fresh> --name NAME`, up to its URL line;
 * the fresh home joins the workspace the GMS serves. */
export async function startServe(
  root: string,
  gms: GmsProcess,
  name: string,
  file: string | undefined,
  timeoutMs = 60_000,
): Promise<Served> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'liveobjects-bench-app-'));
  if (gms.invitation !== undefined) joinTeam(home, gms.invitation);
  const args = ['serve', ...(file ? [file] : []), '--port', '0', '--gms', gms.address];
  args.push('--home', home, '--name', name);
  const spawnedAt = wallClockMs();
  const proc = spawnCli(`liveobjects serve (${name})`, args, { cwd: root });
  try {
    const match = await proc.waitForLine(/^Live Objects at (\S+)/, timeoutMs);
    // waitForLine resolves from the line's own 'data' event: this is when the URL arrived.
    return { proc, url: match[1] ?? '', spawnedAt, urlAt: wallClockMs() };
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
