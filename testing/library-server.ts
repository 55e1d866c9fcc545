// A loopback HTTP server for library tests: serves modules by path, records every request (so a
// test can tell that nothing was fetched before consent), and answers `/ran?…` pings that a
// test module sends when its code runs.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LibraryServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Every request's path and query, in arrival order. */
  readonly requests: string[];
  /** Serves `body` at `path` (e.g. `/lib.js`); returns its URL and SHA-256. */
  add(path: string, body: string): { readonly url: string; readonly sha256: string };
  /** Answers `path` with a redirect to `location`. */
  redirect(path: string, location: string): string;
  /** Requests whose path is `/ran` (the test modules' pings). */
  pings(): string[];
  close(): Promise<void>;
}

export async function startLibraryServer(): Promise<LibraryServer> {
  const bodies = new Map<string, string>();
  const redirects = new Map<string, string>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const bare = path.split('?')[0] ?? path;
    const location = redirects.get(bare);
    const body = bodies.get(bare);
    if (location !== undefined) res.writeHead(302, { location }).end();
    else if (body !== undefined) res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
    else res.writeHead(bare === '/ran' ? 204 : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    add(path, body) {
      bodies.set(path, body);
      return { url: `${origin}${path}`, sha256: createHash('sha256').update(body).digest('hex') };
    },
    redirect(path, location) {
      redirects.set(path, location);
      return `${origin}${path}`;
    },
    pings: () => requests.filter((r) => r.startsWith('/ran')),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
