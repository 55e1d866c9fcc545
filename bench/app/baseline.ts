// The baseline side of the `app` scenario: the standard y-websocket server, the baseline page
// (baseline/, built with vite's build API into a temporary directory and served statically) and
// a Node Y.Doc client that seeds a room and stays connected.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { freeTcpPort, waitForPort } from '../../testing/ports';
import { ManagedProcess } from '../../testing/processes';
import { serveDirectory } from './util';

const pageDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'baseline');

/** Builds the baseline page; returns the output directory. */
export async function buildBaselinePage(): Promise<string> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'liveobjects-bench-yjs-page-'));
  await build({
    root: pageDir,
    configFile: false,
    logLevel: 'error',
    base: './',
    build: { outDir, emptyOutDir: true, reportCompressedSize: false },
  });
  return outDir;
}

export interface Baseline {
  readonly wsUrl: string;
  /** The baseline page joining `room` as `name`. */
  pageUrl(room: string, name: string): string;
  close(): Promise<void>;
}

export async function startBaseline(root: string, pageOut: string): Promise<Baseline> {
  const port = await freeTcpPort();
  // The server takes its address from the environment.
  const server = new ManagedProcess(
    'y-websocket server',
    process.execPath,
    [path.join(root, 'node_modules', 'y-websocket', 'bin', 'server.cjs')],
    { cwd: root, env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) } },
  );
  await waitForPort(server, port);
  const http = await serveDirectory(pageOut);
  const wsUrl = `ws://127.0.0.1:${port}`;
  return {
    wsUrl,
    pageUrl: (room, name) => `${http.url}?ws=${encodeURIComponent(wsUrl)}&room=${room}&name=${name}`,
    close: async () => {
      await Promise.all([server.stop(1000), http.close()]);
    },
  };
}

/** A Node client holding `room` with `text` in it (like the seed host on our side). */
export async function seedRoom(wsUrl: string, room: string, text: string): Promise<() => void> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`y-websocket: room ${room} not synced in 10 s`)), 10_000);
    provider.once('sync', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  doc.getText('text').insert(0, text);
  return () => {
    provider.destroy();
    doc.destroy();
  };
}
