// Small helpers of the `app` scenario.
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchProcess } from '../lib/proc';
import { wallClockMs } from '../processes/control';

/** Resolves with the first stdout line matching `pattern` (its first capture group). */
export function waitForLine(
  proc: BenchProcess,
  pattern: RegExp,
  timeoutMs: number,
): Promise<{ text: string; atMs: number }> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(
        new Error(
          `${proc.name}: no line matching ${String(pattern)} within ${timeoutMs} ms ${proc.diagnostics()}`,
        ),
      );
    }, timeoutMs);
    proc.onStdoutLine((line) => {
      const m = pattern.exec(line);
      if (done || !m) return;
      done = true;
      clearTimeout(timer);
      resolve({ text: m[1] ?? line, atMs: wallClockMs() });
    });
    void proc.exited.then(() => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`${proc.name} exited before printing its URL ${proc.diagnostics()}`));
    });
  });
}

/** A static file server on 127.0.0.1 for the baseline page. */
export async function serveDirectory(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
  };
  const server: Server = createHttpServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const file = path.join(dir, rel === '' ? 'index.html' : rel);
    if (!file.startsWith(dir)) {
      res.writeHead(400).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, {
          'Content-Type': types[path.extname(file)] ?? 'application/octet-stream',
          'Cache-Control': 'no-store',
        });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const round2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);
