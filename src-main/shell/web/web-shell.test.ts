import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../../../src-shared/bridge/frame-codec';
import type { ServerFrame } from '../../../src-shared/bridge/protocol';
import { startWebShell } from './server';
import type { WebShell } from './server';
import { TestHost } from './test-host';

interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Raw HTTP: fetch would normalise paths and refuse to set Host. */
function get(port: number, path: string, host = `127.0.0.1:${port}`, method = 'GET'): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

interface ConnectOptions {
  token?: string | null;
  origin?: string | null;
  host?: string;
  path?: string;
}

function wsUrl(shell: WebShell, o: ConnectOptions): string {
  const token = o.token === undefined ? shell.token : o.token;
  const path = o.path ?? '/bridge';
  return `ws://127.0.0.1:${shell.port}${path}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
}

function socketFor(shell: WebShell, o: ConnectOptions = {}): WebSocket {
  const origin = o.origin === undefined ? `http://127.0.0.1:${shell.port}` : o.origin;
  return new WebSocket(wsUrl(shell, o), {
    ...(origin !== null && { origin }),
    ...(o.host !== undefined && { headers: { host: o.host } }),
  });
}

/** The HTTP status an upgrade attempt is refused with (or 101 when accepted). */
function upgradeStatus(shell: WebShell, o: ConnectOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = socketFor(shell, o);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (e) => reject(e));
  });
}

class Client {
  readonly frames: ServerFrame[] = [];
  private nextId = 1;
  private readonly waiting: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) throw new Error('the server sent a text frame');
      this.frames.push(decodeFrame(data) as ServerFrame);
      for (const w of this.waiting.splice(0)) w();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static open(shell: WebShell, o: ConnectOptions = {}): Promise<Client> {
    const ws = socketFor(shell, o);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }

  async frame(match: (f: ServerFrame) => boolean): Promise<ServerFrame> {
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  send(payload: unknown): number {
    const id = this.nextId++;
    this.ws.send(encodeFrame({ id, ...(payload as object) }));
    return id;
  }

  async call(command: string, args: unknown): Promise<ServerFrame> {
    const id = this.send({ command, args });
    return this.frame((f) => 'id' in f && f.id === id);
  }
}

let dir: string;
let host: TestHost;
let shell: WebShell;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lo-web-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Live Objects</title>');
  writeFileSync(join(renderer, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(renderer, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(renderer, '.env'), 'SECRET=1');
  writeFileSync(join(dir, 'secret.txt'), 'top secret');
  host = new TestHost();
  shell = await startWebShell({ host, rendererDir: renderer, maxFrameBytes: 4096, log: () => {} });
});

afterEach(async () => {
  await shell.close();
});

describe('web shell: HTTP', () => {
  it('listens on loopback and gives a URL with a 256-bit token', () => {
    expect(shell.url).toBe(`http://127.0.0.1:${shell.port}/?token=${shell.token}`);
    expect(Buffer.from(shell.token, 'base64url').length).toBeGreaterThanOrEqual(16);
  });

  it('serves index.html for / with CSP, nosniff and no caching', async () => {
    const r = await get(shell.port, '/?token=whatever');
    expect(r.status).toBe(200);
    expect(r.body).toContain('Live Objects');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    const csp = r.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${shell.port}`);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("worker-src 'self' blob:");
  });

  it('serves assets with their content types; HEAD has no body', async () => {
    const js = await get(shell.port, '/assets/app-1234.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.body).toBe('console.log(1)');
    const css = await get(shell.port, '/assets/style.css', undefined, 'HEAD');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['content-length']).toBe('6');
    expect(css.body).toBe('');
    expect((await get(shell.port, '/missing.js')).status).toBe(404);
    expect((await get(shell.port, '/favicon.ico')).status).toBe(204);
    expect((await get(shell.port, '/assets')).status).toBe(404);
    expect((await get(shell.port, '/', undefined, 'POST')).status).toBe(405);
  });

  it('blocks directory traversal, encoded or not, and dotfiles', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00index.html',
      '/.env',
      '//etc/passwd',
      '/%E0%A4%A',
    ]) {
      const r = await get(shell.port, path);
      expect([400, 404], path).toContain(r.status);
      expect(r.body).not.toContain('secret');
    }
  });

  it('refuses requests whose Host is not this server (DNS rebinding)', async () => {
    const r = await get(shell.port, '/', 'evil.example');
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('Live Objects');
    expect((await get(shell.port, '/', `evil.example:${shell.port}`)).status).toBe(403);
    expect((await get(shell.port, '/', `localhost:${shell.port}`)).status).toBe(200);
  });
});

describe('web shell: WebSocket upgrade', () => {
  it('needs the token', async () => {
    expect(await upgradeStatus(shell, { token: null })).toBe(403);
    expect(await upgradeStatus(shell, { token: 'wrong' })).toBe(403);
    // The last character changed (to 'A', or 'B' when it already is 'A').
    const last = shell.token.endsWith('A') ? 'B' : 'A';
    expect(await upgradeStatus(shell, { token: shell.token.slice(0, -1) + last })).toBe(403);
    expect(await upgradeStatus(shell, {})).toBe(101);
    expect(host.shells).toEqual(['web']);
  });

  it('checks Host and Origin', async () => {
    expect(await upgradeStatus(shell, { host: 'evil.example' })).toBe(403);
    expect(await upgradeStatus(shell, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(shell, { origin: null })).toBe(403);
    expect(await upgradeStatus(shell, { origin: `http://localhost:${shell.port}` })).toBe(101);
    expect(await upgradeStatus(shell, { path: '/other' })).toBe(404);
    expect(host.sessions).toHaveLength(1);
  });

  it('answers plain GET /bridge with 426', async () => {
    expect((await get(shell.port, '/bridge')).status).toBe(426);
  });
});

describe('web shell: bridge frames', () => {
  it('round-trips calls, errors and events', async () => {
    const client = await Client.open(shell);
    const hello = await client.call('hello', {});
    expect(hello).toMatchObject({ ok: true, result: { shell: 'web', userName: 'tester' } });
    const open = await client.call('open', { xml: '<x/>' });
    expect(open).toMatchObject({ ok: false, error: 'line 1, column 1: not a liveobject' });
    const act = await client.call('act', { handle: 'h1', intent: { kind: 'desktop.raise', id: 'a' } });
    expect(act).toMatchObject({ ok: true, result: null });
    const event = await client.frame((f) => 'event' in f);
    expect(event).toEqual({
      event: 'state',
      data: { handle: 'h1', state: { kind: 'coordinates', senders: ['desktop.raise'] } },
    });
    const session = host.sessions[0]!;
    expect(session.calls[2]?.args).toEqual({ handle: 'h1', intent: { kind: 'desktop.raise', id: 'a' } });
    session.emit('presence', { handle: 'h1', members: [{ id: 'm', name: 'Ann' }] });
    expect(await client.frame((f) => 'event' in f && f.event === 'presence')).toMatchObject({
      data: { members: [{ name: 'Ann' }] },
    });
    expect(session.calls.map((c) => c.command)).toEqual(['hello', 'open', 'act']);
    client.ws.close();
  });

  it('carries bytes as bytes both ways', async () => {
    const client = await Client.open(shell);
    const update = new Uint8Array([0, 1, 2, 250, 255]);
    const act = await client.call('act', { handle: 'h2', intent: { kind: 'note.update', update } });
    expect(act).toMatchObject({ ok: true, result: null });
    const echoed = await client.frame((f) => 'event' in f && f.event === 'note.update');
    expect(echoed).toEqual({ event: 'note.update', data: { handle: 'h2', update } });
    expect((echoed as { data: { update: unknown } }).data.update).toBeInstanceOf(Uint8Array);
    const received = host.sessions[0]!.calls[0]!.args as { intent: { update: unknown } };
    expect(received.intent.update).toBeInstanceOf(Uint8Array);
    expect([...(received.intent.update as Uint8Array)]).toEqual([...update]);
    client.ws.close();
  });

  it('answers unknown commands, bad args and unserialisable results with error frames', async () => {
    const client = await Client.open(shell);
    expect(await client.call('rm -rf', {})).toMatchObject({ ok: false, error: "unknown command 'rm -rf'" });
    expect(await client.call('toString', {})).toMatchObject({
      ok: false,
      error: "unknown command 'toString'",
    });
    expect(await client.call('open', [1, 2])).toMatchObject({
      ok: false,
      error: 'open: args must be an object',
    });
    expect(await client.call('open', null)).toMatchObject({ ok: false });
    // A frame whose id is readable is answered, whatever else is wrong with it.
    const id = client.send({ command: 'open' });
    expect(await client.frame((f) => 'id' in f && f.id === id)).toEqual({
      id,
      ok: false,
      error: 'open: args is missing (it must be an object)',
    });
    expect(
      await client.call('act', { handle: 'h', intent: { kind: 'desktop.move', id: 'a', x: '1', y: 2 } }),
    ).toMatchObject({ ok: false, error: 'act: intent.x must be a number' });
    expect(
      await client.call('act', { handle: 'h', intent: { kind: 'note.update', update: 'AAAA' } }),
    ).toMatchObject({
      ok: false,
      error: 'act: intent.update must be bytes (a Uint8Array)',
    });
    expect(await client.call('close', { handle: 'h' })).toMatchObject({ ok: false, error: /unserialisable/ });
    expect(host.sessions[0]!.calls.map((c) => c.command)).toEqual(['close']);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    client.ws.close();
  });

  it.each([
    ['not lib0-encoded', new Uint8Array([0x01, 0x02, 0x03]), /not a lib0-encoded value/],
    ['cut short', encodeFrame({ id: 1, command: 'hello', args: {} }).slice(0, 6), /not a lib0-encoded value/],
    [
      'followed by more bytes',
      new Uint8Array([...encodeFrame({ id: 1, command: 'hello', args: {} }), 0]),
      /left over/,
    ],
    ['an array', encodeFrame([1]), /must be an object/],
    ['without id', encodeFrame({ command: 'hello', args: {} }), /id/],
    ['with a fractional id', encodeFrame({ id: 1.5, command: 'hello', args: {} }), /id/],
  ])('closes the connection with a reason on a frame that is %s', async (_name, bytes, reason) => {
    const client = await Client.open(shell);
    client.ws.send(bytes);
    const closed = await client.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(reason);
    await host.sessions[0]!.whenClosed;
  });

  it('refuses text and oversized frames', async () => {
    const text = await Client.open(shell);
    text.ws.send('{"id":1,"command":"hello","args":{}}');
    expect((await text.closed).code).toBe(1003);
    const big = await Client.open(shell);
    big.ws.send(encodeFrame({ id: 1, command: 'open', args: { xml: 'x'.repeat(10_000) } }));
    expect((await big.closed).code).toBe(1009);
    await host.sessions[1]!.whenClosed;
    expect(host.sessions[1]!.calls).toEqual([]);
  });

  it('closes the session, and stops its events, when the socket closes', async () => {
    const client = await Client.open(shell);
    const session = host.sessions[0]!;
    expect(session.listenerCount).toBe(1);
    client.ws.close();
    await session.whenClosed;
    expect(session.closed).toBe(true);
    expect(session.listenerCount).toBe(0);
  });

  it('gives each connection its own session and closes them all on shutdown', async () => {
    const a = await Client.open(shell);
    const b = await Client.open(shell);
    expect(host.sessions).toHaveLength(2);
    host.sessions[1]!.emit('error', { message: 'only b' });
    expect(await b.frame((f) => 'event' in f)).toMatchObject({ event: 'error', data: { message: 'only b' } });
    expect(a.frames).toEqual([]);
    await shell.close();
    expect((await a.closed).code).toBe(1001);
    expect(host.sessions.every((s) => s.closed)).toBe(true);
  });
});

describe('web shell: files to open', () => {
  it('opens the file once the first renderer has said hello', async () => {
    const withFile = await startWebShell({
      host,
      rendererDir: join(dir, 'renderer'),
      openFile: '/tmp/some.liveobject',
      log: () => {},
    });
    try {
      const client = await Client.open(withFile);
      await client.call('templates', {});
      expect(host.openedFiles).toEqual([]);
      await client.call('hello', {});
      await new Promise((r) => setTimeout(r, 10));
      expect(host.openedFiles).toEqual(['/tmp/some.liveobject']);
      await client.call('hello', {});
      expect(host.openedFiles).toHaveLength(1);
    } finally {
      await withFile.close();
    }
  });
});
