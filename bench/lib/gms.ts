// The `liveobjects` CLI of this checkout, and a `liveobjects gms` on a free loopback port: shared
// by the engine runs (engine-nodes.ts) and the browser scenarios (app, space3d).
import path from 'node:path';
import { freeTcpPort, waitForPort } from './ports';
import { BenchProcess } from './proc';

export const cliPath = (root: string): string => path.join(root, 'bin', 'liveobjects.js');

export interface Gms {
  readonly addr: string;
  readonly proc: BenchProcess;
}

/** Starts `liveobjects gms --listen 127.0.0.1:<free port>` and waits until it listens. */
export async function startGms(root: string, timeoutMs?: number): Promise<Gms> {
  const port = await freeTcpPort();
  const addr = `127.0.0.1:${port}`;
  const proc = new BenchProcess(
    'liveobjects gms',
    process.execPath,
    [cliPath(root), 'gms', '--listen', addr],
    root,
  );
  try {
    await waitForPort(proc, port, timeoutMs);
  } catch (err) {
    await proc.stop(1000);
    throw err;
  }
  return { addr, proc };
}
