import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { delay, waitFor } from '../../../testing/wait';
import { MembershipRefusedError, gmsKey } from './auth';
import { GmsClient } from './client';
import { FramedConnection } from './connection';
import { fetchGmsStats, probeGms } from './embedded';
import { encodeFrame } from './framing';
import { parseClientMessage } from './protocol';
import { GmsServer } from './server';

const fast = { heartbeatMs: 50, suspectMs: 400, batchMs: 20 };
const KEY = randomBytes(32);
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(
  packetKey?: Uint8Array,
): Promise<{ server: GmsServer; port: number; log: string[] }> {
  const log: string[] = [];
  const server = new GmsServer({ ...fast, ...(packetKey && { packetKey }), log: (l) => log.push(l) });
  const { port } = await server.start();
  cleanups.push(() => server.close());
  return { server, port, log };
}

function client(port: number, name: string, packetKey?: Uint8Array): GmsClient {
  const c = new GmsClient({
    gms: { host: '127.0.0.1', port },
    self: { id: `127.0.0.1:${name}/1`, host: '127.0.0.1', port: 1000 },
    heartbeatIntervalMs: 50,
    reconnectDelayMs: 30,
    connectTimeoutMs: 3000,
    ...(packetKey && { packetKey }),
  });
  c.join('a');
  cleanups.push(() => c.close());
  return c;
}

const REFUSED =
  /^the membership service at 127\.0\.0\.1:\d+ refused this node: the workspace key does not match — ask a member of the workspace for an invitation$/;

describe('GMS with a packet key', () => {
  it('registers members that hold the key, over authenticated frames', async () => {
    const { server, port } = await startServer(KEY);
    const a = client(port, '1', KEY);
    const b = client(port, '2', KEY);
    await Promise.all([a.start(), b.start()]);
    await waitFor('both in the view', () => a.current?.groups[0]?.members.length === 2, { timeout: 3000 });
    expect((await probeGms('127.0.0.1', port, 1000, KEY)).kind).toBe('gms');
    expect(await fetchGmsStats('127.0.0.1', port, 1000, KEY)).toMatchObject({ nodes: 2, refused: 0 });
    expect(server.stats().malformedFrames).toBe(0);
  });

  it('refuses a node without the key or with another key, counts it and logs it once per address', async () => {
    const { server, port, log } = await startServer(KEY);
    const member = client(port, '1', KEY);
    await member.start();
    for (const [name, key] of [
      ['2', undefined],
      ['3', randomBytes(32)],
    ] as const) {
      const stranger = client(port, name, key);
      const error = await stranger.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MembershipRefusedError);
      expect((error as Error).message).toMatch(REFUSED);
    }
    // A probe without the key is told no more than that it was refused.
    const probe = await probeGms('127.0.0.1', port);
    expect(probe).toEqual({
      kind: 'other',
      reason: 'a GMS refused the key handshake: the workspace key does not match',
    });
    await waitFor('the refusals to be counted', () => server.stats().refused >= 3, { timeout: 2000 });
    expect(server.stats().nodes).toBe(1);
    expect(member.current?.groups[0]?.members).toEqual([member.self.id]);
    expect(
      log.filter((l) => l.includes('refused')),
      log.join('\n'),
    ).toHaveLength(1);
    expect(log.find((l) => l.includes('refused'))).toMatch(/^gms: refused a node at 127\.0\.0\.1:\d+: /);
  });

  it('a node with a key refuses a GMS without one', async () => {
    const { port, server } = await startServer();
    const error = await client(port, '1', KEY)
      .start()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(MembershipRefusedError);
    expect((error as Error).message).toMatch(
      /refused this node: it runs without a workspace key, and this node holds one/,
    );
    expect(server.stats().nodes).toBe(0);
  });

  it('closes a connection whose frame fails authentication, and a raw registration gets nowhere', async () => {
    const { server, port } = await startServer(KEY);
    // Raw registration, no handshake: refused, never registered.
    const raw = connect({ port, host: '127.0.0.1' });
    const answer: Buffer[] = [];
    raw.on('data', (d: Buffer) => answer.push(d));
    await new Promise((r) => raw.once('connect', r));
    raw.write(
      encodeFrame({
        t: 'register',
        v: 1,
        node: { id: '127.0.0.1:9/evil', host: '127.0.0.1', port: 9 },
        groups: ['a'],
        lastEpoch: 0,
      }),
    );
    await new Promise((r) => raw.once('close', r));
    expect(Buffer.concat(answer).subarray(4).toString()).toBe(
      JSON.stringify({ t: 'refused', reason: 'the workspace key does not match' }),
    );
    // A real handshake, then a frame with its tag changed.
    const socket = connect({ port, host: '127.0.0.1' });
    let closed = false;
    const c = new FramedConnection(
      socket,
      { maxFrameBytes: 1 << 20, role: 'client', key: gmsKey(KEY) },
      { message: () => undefined, malformed: () => undefined, closed: () => (closed = true) },
    );
    c.send({ t: 'ping' });
    await waitFor('the handshake', () => c.open, { timeout: 2000 });
    const frame = encodeFrame({ t: 'heartbeat' }, () => Buffer.alloc(16));
    socket.write(frame);
    await waitFor('the server to close the connection', () => closed, { timeout: 2000 });
    expect(server.stats()).toMatchObject({ nodes: 0, refused: 1, malformedFrames: 1 });
  });

  it('a silent connection is refused after the handshake time', async () => {
    const log: string[] = [];
    const server = new GmsServer({ ...fast, packetKey: KEY, log: (l) => log.push(l) });
    const { port } = await server.start();
    cleanups.push(() => server.close());
    const socket = connect({ port, host: '127.0.0.1' });
    cleanups.push(() => void socket.destroy());
    await delay(800);
    expect(server.stats().refused).toBe(1);
    expect(log.join('\n')).toMatch(/no key handshake within 400 ms/);
  });
});

describe('GMS node ids', () => {
  it('refuses ids that are not 1-255 printable characters or that name Object.prototype members', () => {
    const register = (id: string): unknown =>
      parseClientMessage({
        t: 'register',
        v: 1,
        node: { id, host: '127.0.0.1', port: 1 },
        groups: [],
        lastEpoch: 0,
      });
    for (const id of [
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '',
      'a b',
      'é',
      'x'.repeat(256),
      'a\n',
    ])
      expect(register(id), JSON.stringify(id)).toBeUndefined();
    for (const id of ['127.0.0.1:4000/ab12', 'a', 'n1/1', '[::1]:4000/x', 'x'.repeat(255)])
      expect(register(id), id).toBeDefined();
  });
});
