// The WebSocket client against a real `ws` server speaking the bridge's frames.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as WsSocket, WebSocketServer } from 'ws';
import { waitFor } from '../../testing/wait';
import type { AddressInfo } from 'ws';
import { decodeFrame, encodeFrame } from '../../src-shared/bridge/frame-codec';
import type { ClientFrame } from '../../src-shared/bridge/protocol';
import type { ConnectionStatus } from './types';
import { ConnectionLostError } from './errors';
import { WebSocketBridge, bridgeUrl } from './websocket';
import type { SocketLike } from './websocket';

type Reply = (frame: ClientFrame, socket: WsSocket) => void;

let server: WebSocketServer;
let url: string;
let reply: Reply;
const connections: WsSocket[] = [];

beforeEach(async () => {
  reply = (frame, socket) =>
    socket.send(encodeFrame({ id: frame.id, ok: true, result: { got: frame.args } }));
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket, request) => {
    connections.push(socket);
    if (!request.url?.includes('token=t0k')) socket.close();
    socket.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) throw new Error('the bridge sent a text frame');
      reply(decodeFrame(data) as ClientFrame, socket);
    });
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/bridge?token=t0k`;
});

afterEach(async () => {
  for (const c of connections.splice(0)) c.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const connect = (u: string) => new WsSocket(u) as unknown as SocketLike;
const fast = { initialMs: 20, maxMs: 50, jitter: 0 };

function statusLog(bridge: WebSocketBridge): ConnectionStatus[] {
  const log: ConnectionStatus[] = [];
  bridge.onStatus((s) => log.push(s));
  return log;
}

describe('WebSocketBridge', () => {
  it('sends calls made before the socket opens, with increasing ids', async () => {
    const seen: number[] = [];
    reply = (frame, socket) => {
      seen.push(frame.id);
      socket.send(encodeFrame({ id: frame.id, ok: true, result: frame.command }));
    };
    const bridge = new WebSocketBridge({ url, connect, backoff: fast });
    const results = await Promise.all([bridge.call('hello', {}), bridge.call('templates', {})]);
    expect(results).toEqual(['hello', 'templates']);
    expect(seen).toEqual([1, 2]);
    bridge.dispose();
  });

  it("rejects a refused call with the host's error text", async () => {
    reply = (frame, socket) =>
      socket.send(encodeFrame({ id: frame.id, ok: false, error: 'no such handle h9' }));
    const bridge = new WebSocketBridge({ url, connect, backoff: fast });
    await expect(bridge.call('close', { handle: 'h9' })).rejects.toThrow('no such handle h9');
    bridge.dispose();
  });

  it('dispatches events to their listeners and ignores malformed frames and events', async () => {
    const bridge = new WebSocketBridge({ url, connect, backoff: fast });
    const states: unknown[] = [];
    const updates: unknown[] = [];
    bridge.on('state', (e) => states.push(e));
    bridge.on('note.update', (e) => updates.push(e));
    await bridge.call('hello', {});
    const socket = connections[0]!;
    socket.send('garbage');
    socket.send(new Uint8Array([0xff, 0x00]));
    socket.send(encodeFrame({ event: 'state', data: { handle: 'h1', state: { items: [] } } }));
    socket.send(encodeFrame({ event: 'bogus', data: {} }));
    socket.send(encodeFrame({ event: 'note.update', data: { handle: 'h1', update: 'AAAA' } }));
    socket.send(
      encodeFrame({ event: 'note.update', data: { handle: 'h1', update: new Uint8Array([7, 8]) } }),
    );
    socket.send(
      encodeFrame({ event: 'state', data: { handle: 'h1', state: { kind: 'desktop', items: [] } } }),
    );
    await waitFor('the state event', () => states.length === 1, { timeout: 3_000 });
    expect(states).toEqual([{ handle: 'h1', state: { kind: 'desktop', items: [] } }]);
    expect(updates).toEqual([{ handle: 'h1', update: new Uint8Array([7, 8]) }]);
    bridge.dispose();
  });

  it('sends calls as binary frames, bytes as bytes', async () => {
    let got: unknown;
    reply = (frame, socket) => {
      got = frame.args;
      socket.send(encodeFrame({ id: frame.id, ok: true, result: null }));
    };
    const bridge = new WebSocketBridge({ url, connect, backoff: fast });
    const update = new Uint8Array([1, 2, 3, 255]);
    await bridge.call('act', { handle: 'h', intent: { kind: 'note.update', update } });
    expect(got).toEqual({ handle: 'h', intent: { kind: 'note.update', update } });
    expect((got as { intent: { update: unknown } }).intent.update).toBeInstanceOf(Uint8Array);
    bridge.dispose();
  });

  it('reconnects with a new session and rejects calls lost with the old one', async () => {
    let hold = true;
    reply = (frame, socket) => {
      if (!hold) socket.send(encodeFrame({ id: frame.id, ok: true, result: 'late' }));
    };
    const bridge = new WebSocketBridge({ url, connect, backoff: fast });
    const log = statusLog(bridge);
    await waitFor('the connection to open', () => log.some((s) => s.state === 'open'), { timeout: 3_000 });
    const lost = bridge.call('hello', {});
    await waitFor('a connection', () => connections.length === 1, { timeout: 3_000 });
    await new Promise((r) => setTimeout(r, 20));
    connections[0]!.close();
    await expect(lost).rejects.toBeInstanceOf(ConnectionLostError);
    await waitFor(
      'session 2, after the reconnect',
      () => log.some((s) => s.state === 'open' && s.session === 2),
      {
        timeout: 3_000,
      },
    );
    expect(log.map((s) => s.state)).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    hold = false;
    await expect(bridge.call('hello', {})).resolves.toBe('late');
    bridge.dispose();
  });

  it('keeps retrying while the server refuses, and stops when disposed', async () => {
    const bad = url.replace('t0k', 'wrong');
    const bridge = new WebSocketBridge({ url: bad, connect, backoff: fast });
    const log = statusLog(bridge);
    await waitFor('two retries', () => log.filter((s) => s.state === 'reconnecting').length >= 2, {
      timeout: 3_000,
    });
    bridge.dispose();
    await expect(bridge.call('hello', {})).rejects.toThrow(/closed/);
  });
});

describe('bridgeUrl', () => {
  it('takes the token from the page address', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:4000', search: '?token=a%2Bb&open=x' })).toBe(
      'ws://127.0.0.1:4000/bridge?token=a%2Bb',
    );
    expect(bridgeUrl({ protocol: 'https:', host: 'h', search: '?token=z' })).toBe('wss://h/bridge?token=z');
    expect(bridgeUrl({ protocol: 'http:', host: 'h', search: '' })).toBeUndefined();
  });
});
