// The web shell: the built renderer and the bridge over HTTP + WebSocket on 127.0.0.1, for
// browsers and tests. Every request passes the Host check; the bridge also needs this page's
// Origin and the per-launch token (guard.ts).
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import type { BridgeHost, BridgeSession } from '../../host/bridge-host';
import { errorMessage } from '../common/commands';
import { contentSecurityPolicy } from '../common/csp';
import { FileOpener } from '../common/file-opener';
import { cacheControl, lookupStatic } from '../common/static-files';
import { bridgeSocket } from './bridge-socket';
import { createGuard, newToken, tokenMatches } from './guard';
import type { Guard } from './guard';

export const BRIDGE_PATH = '/bridge';
export const DEFAULT_RENDERER_DIR = resolve(import.meta.dirname, '../../../out/renderer');

export interface WebShellOptions {
  readonly host: BridgeHost;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** The built renderer (default out/renderer). */
  readonly rendererDir?: string;
  /** A .liveobject file to open once the first browser tab has said hello. */
  readonly openFile?: string;
  /** Largest client frame accepted (default 32 MiB, room for an 8 MiB image and more). */
  readonly maxFrameBytes?: number;
  /** Diagnostics (default: stderr). */
  readonly log?: (line: string) => void;
}

export interface WebShell {
  /** The page to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Closes every connection and its session, then the server; the host stays open. */
  close(): Promise<void>;
}

interface Context {
  readonly guard: Guard;
  readonly csp: string;
  readonly rendererDir: string;
}

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const log = options.log ?? ((line: string) => console.error(line));
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const token = newToken();
  const opener = new FileOpener(
    (path) => options.host.openFile(path),
    (path, error) => log(`web shell: cannot open ${path}: ${errorMessage(error)}`),
  );
  if (options.openFile !== undefined) opener.request(options.openFile);

  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  // Handlers go on right after listening resolves, before any I/O callback can deliver a request.
  const context: Context = {
    guard: createGuard(port, token),
    rendererDir,
    csp: contentSecurityPolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }),
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handleHttp(context, req, res).catch((error: unknown) => {
      log(`web shell: ${req.method ?? ''} ${req.url ?? ''} failed: ${errorMessage(error)}`);
      if (!res.headersSent) reply(res, 500, {}, 'internal error');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? 32 * 1024 * 1024 });
  const bridges = new Set<Promise<void>>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refusal = upgradeRefusal(context.guard, req);
    if (refusal) return void refuseUpgrade(socket, refusal);
    wss.handleUpgrade(req, socket, head, (ws) => {
      let session: BridgeSession;
      try {
        session = options.host.openSession('web');
      } catch (error) {
        log(`web shell: cannot open a session: ${errorMessage(error)}`);
        return void ws.close(1011, 'the host cannot open a session');
      }
      const bridge = bridgeSocket(ws, session, { onHello: () => opener.markReady(), log });
      bridges.add(bridge);
      void bridge.finally(() => bridges.delete(bridge));
    });
  });

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((done) => server.close(() => done()));
        for (const ws of wss.clients) ws.close(1001, 'the web shell is closing');
        // A client that does not finish the closing handshake is cut off.
        const cutoff = setTimeout(() => wss.clients.forEach((ws) => ws.terminate()), 1000);
        await Promise.all(bridges);
        clearTimeout(cutoff);
        wss.close();
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the shell is never reachable from the network.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The path of a request target, or undefined unless it is origin-form (`/…`). */
function pathOf(target: string | undefined): { pathname: string; query: string } | undefined {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) return undefined;
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const hash = path.indexOf('#');
  return {
    pathname: hash < 0 ? path : path.slice(0, hash),
    query: q < 0 ? '' : target.slice(q + 1),
  };
}

function upgradeRefusal(guard: Guard, req: IncomingMessage): string | undefined {
  if (!guard.hostAllowed(req.headers.host)) return 'unexpected Host header';
  const target = pathOf(req.url);
  if (target?.pathname !== BRIDGE_PATH) return 'no such endpoint';
  if (!guard.originAllowed(req.headers.origin)) return 'unexpected Origin';
  if (!tokenMatches(guard.token, new URLSearchParams(target.query).get('token')))
    return 'missing or wrong token';
  return undefined;
}

function refuseUpgrade(socket: Duplex, reason: string): void {
  const status = reason === 'no such endpoint' ? '404 Not Found' : '403 Forbidden';
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function securityHeaders(csp: string): OutgoingHttpHeaders {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    // The page URL carries the token: never leak it to another site.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function reply(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: string): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(`${body}\n`);
}

async function handleHttp(context: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = securityHeaders(context.csp);
  if (!context.guard.hostAllowed(req.headers.host)) return reply(res, 403, headers, 'unexpected Host header');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return reply(res, 405, { ...headers, Allow: 'GET, HEAD' }, 'method not allowed');
  }
  const target = pathOf(req.url);
  if (!target) return reply(res, 400, headers, 'bad request target');
  if (target.pathname === BRIDGE_PATH)
    return reply(res, 426, { ...headers, Upgrade: 'websocket' }, 'upgrade required');
  const found = await lookupStatic(context.rendererDir, target.pathname);
  if (found.kind === 'bad-request') return reply(res, 400, headers, 'bad path');
  if (found.kind === 'missing') {
    // Browsers ask for a favicon on their own; a 404 would be console noise in every e2e run.
    if (target.pathname === '/favicon.ico') return void res.writeHead(204, headers).end();
    return reply(res, 404, headers, 'not found');
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': found.contentType,
    'Content-Length': found.size,
    'Cache-Control': cacheControl(target.pathname),
  });
  if (req.method === 'HEAD') return void res.end();
  const stream = createReadStream(found.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
