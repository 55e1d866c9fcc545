// The NATS channel against a real `nats-server -js` started by the test: FIFO per sender and
// exactly once (own messages included) across a client reconnect and a server restart, views
// from presence, history for a member that joins later, and clear failures.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NatsCluster, NatsServer, whyNoNatsServer } from '../../../testing/nats';
import { waitFor } from '../../../testing/wait';
import { NatsGroupChannel } from './nats-channel';
import { NatsService } from './service';
import type { NatsConnectionState } from './service';
import { groupNames } from './subjects';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const FAST = {
  heartbeatMs: 200,
  presenceTimeoutMs: 1000,
  settleMs: 200,
  publishTimeoutMs: 1000,
};

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

let groupCounter = 0;
const freshGroup = (): string => `test group ${process.pid} ${Date.now()} ${++groupCounter}`;

const noServer = whyNoNatsServer();
// Without a server nothing else exercises the real client: CI installs nats-server (.ci/run).
if (noServer !== undefined) console.log(`NATS channel tests skipped: ${noServer}`);

describe.skipIf(noServer !== undefined)('NatsGroupChannel over nats-server -js', () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await NatsServer.start();
  });
  afterAll(async () => {
    await server.dispose();
  });

  /** A member on a connection of its own (another host), recording what it delivers. */
  async function member(group: string) {
    const service = new NatsService();
    cleanup.push(() => service.close());
    const channel = await NatsGroupChannel.open(await service.lease({ servers: server.url }), group, FAST);
    cleanup.push(() => channel.close());
    const got: string[] = [];
    channel.onMessage((sender, data) => got.push(`${sender}:${dec(data)}`));
    return { service, channel, got };
  }

  it('delivers every message once, own ones included, FIFO per sender, and reports views', async () => {
    const group = freshGroup();
    const a = await member(group);
    const b = await member(group);
    await waitFor(
      'both in both views',
      () => a.channel.members.length === 2 && b.channel.members.length === 2,
    );
    expect(a.channel.members).toEqual([a.channel.self, b.channel.self].sort());
    for (let i = 0; i < 100; i++) void a.channel.send(enc(`a${i}`));
    for (let i = 0; i < 100; i++) void b.channel.send(enc(`b${i}`));
    await waitFor('200 at each', () => a.got.length === 200 && b.got.length === 200, { timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 300));
    for (const m of [a, b]) {
      expect(m.got).toHaveLength(200);
      expect(m.got.filter((x) => x.startsWith(a.channel.self))).toEqual(
        Array.from({ length: 100 }, (_, i) => `${a.channel.self}:a${i}`),
      );
      expect(m.got.filter((x) => x.startsWith(b.channel.self))).toEqual(
        Array.from({ length: 100 }, (_, i) => `${b.channel.self}:b${i}`),
      );
    }
    // Both read the same stream: the same order everywhere.
    expect(a.got).toEqual(b.got);
    // Beyond the server's max_payload (1 MiB), a message travels in fragments and arrives whole.
    const big = new Uint8Array(3_500_000).map((_, i) => i % 251);
    const bigs: Uint8Array[] = [];
    a.channel.onMessage((_s, d) => d.length > 1000 && bigs.push(d));
    void b.channel.send(big);
    void b.channel.send(enc('after the big one'));
    await waitFor('the big message and the next', () => a.got.length === 202, { timeout: 15_000 });
    expect(bigs).toHaveLength(1);
    expect(Buffer.compare(Buffer.from(bigs[0]!), Buffer.from(big))).toBe(0);
    expect(a.got[201]).toBe(`${b.channel.self}:after the big one`);
    await b.channel.close();
    await waitFor('b gone from a’s view', () => a.channel.members.length === 1);
  });

  it('keeps FIFO and exactly once across a client reconnect and a server restart', async () => {
    const group = freshGroup();
    const a = await member(group);
    const b = await member(group);
    const states: NatsConnectionState['kind'][] = [];
    const lease = await a.service.lease({ servers: server.url });
    cleanup.push(() => lease.release());
    lease.onState((s) => states.push(s.kind));
    const expected: string[] = [];
    let n = 0;
    const sendSome = (count: number): void => {
      for (let i = 0; i < count; i++) {
        const text = `m${n++}`;
        expected.push(`${a.channel.self}:${text}`);
        void a.channel.send(enc(text));
      }
    };
    sendSome(50);
    // The client drops its connection and reconnects while messages are in flight.
    const reconnecting = lease.connection.reconnect();
    sendSome(50);
    await reconnecting;
    sendSome(50);
    await waitFor('150 at b', () => b.got.length >= 150, { timeout: 20_000 });
    // The server goes away; what is sent meanwhile is kept and sent when it is back.
    await server.stop();
    await waitFor('a sees the disconnection', () => lease.state.kind === 'reconnecting', { timeout: 10_000 });
    sendSome(50);
    expect(a.channel.unsent).toBeGreaterThan(0);
    await server.restart();
    sendSome(50);
    await waitFor('250 at a and b', () => a.got.length >= 250 && b.got.length >= 250, {
      timeout: 30_000,
    }).catch((e) => {
      throw e;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(b.got).toEqual(expected);
    expect(a.got).toEqual(expected);
    expect(a.channel.unsent).toBe(0);
    expect(states).toContain('reconnecting');
    expect(lease.state.kind).toBe('connected');
  }, 60_000);

  it('a member that joins later reads the history before its first view; names hide the group', async () => {
    const group = freshGroup();
    const a = await member(group);
    for (let i = 0; i < 20; i++) void a.channel.send(enc(`old ${i}`));
    await waitFor('20 at a', () => a.got.length === 20);
    await a.channel.close();
    const late = new NatsService();
    cleanup.push(() => late.close());
    const channel = await NatsGroupChannel.open(await late.lease({ servers: server.url }), group, FAST);
    cleanup.push(() => channel.close());
    // Open resolves with the history read and the view installed; a listener gets it all.
    expect(channel.members).toEqual([channel.self]);
    const got: string[] = [];
    channel.onMessage((_s, d) => got.push(dec(d)));
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `old ${i}`));
    const names = groupNames(group);
    for (const name of Object.values(names)) expect(name).not.toContain('test');
    expect(names.subject).toMatch(/^lo\.g\.[0-9a-f]{32}$/);
  });

  it('a 3-server cluster: a member keeps sending and receiving when its server is killed', async () => {
    const cluster = await NatsCluster.start();
    cleanup.push(() => cluster.dispose());
    const group = freshGroup();
    const open = async (servers: string) => {
      const service = new NatsService();
      cleanup.push(() => service.close());
      const lease = await waitFor(
        'a JetStream cluster that answers',
        async () => {
          const l = await service.lease({ servers });
          try {
            await l.jsm.getAccountInfo();
            return l;
          } catch {
            l.release();
            return undefined;
          }
        },
        { timeout: 30_000 },
      );
      const channel = await NatsGroupChannel.open(lease, group, {
        ...FAST,
        history: { replicas: 3 },
      });
      cleanup.push(() => channel.close());
      const got: string[] = [];
      channel.onMessage((sender, data) => got.push(`${sender}:${dec(data)}`));
      return { channel, got, lease };
    };
    // The client picks among the servers at random; the test kills the one a is connected to.
    const [s1, s2, s3] = cluster.servers;
    const a = await open([s1!.url, s2!.url, s3!.url].join(','));
    const b = await open([s3!.url, s2!.url, s1!.url].join(','));
    const expected: string[] = [];
    const sendSome = (count: number): void => {
      for (let i = 0; i < count; i++) {
        const text = `m${expected.length}`;
        expected.push(`${a.channel.self}:${text}`);
        void a.channel.send(enc(text));
      }
    };
    sendSome(30);
    await waitFor('30 at b', () => b.got.length === 30, { timeout: 20_000 });
    const serving = cluster.servers.find((s) => a.lease.connection.getServer().endsWith(`:${s.port}`))!;
    await serving.kill();
    sendSome(30);
    await waitFor('60 at a and b', () => a.got.length >= 60 && b.got.length >= 60, {
      timeout: 40_000,
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(b.got).toEqual(expected);
    expect(a.got).toEqual(expected);
  }, 90_000);

  it('keeps history within its limits: a stream made with maxAgeMs drops older messages', async () => {
    const group = freshGroup();
    const service = new NatsService();
    cleanup.push(() => service.close());
    const lease = await service.lease({ servers: server.url });
    const history = { maxAgeMs: 1_500, maxBytes: 1_000_000 };
    const a = await NatsGroupChannel.open(lease, group, { ...FAST, history });
    const info = await lease.jsm.streams.info(a.names.stream);
    expect(info.config.max_age).toBe(1_500 * 1_000_000);
    expect(info.config.max_bytes).toBe(1_000_000);
    // The stream's duplicate window is 2 minutes, or the history's age where that is shorter.
    expect(info.config.duplicate_window).toBe(1_500 * 1_000_000);
    await a.send(enc('expires'));
    await new Promise((r) => setTimeout(r, 2_500));
    await a.send(enc('recent'));
    await waitFor('stored', async () => (await lease.jsm.streams.info(a.names.stream)).state.last_seq === 2);
    await a.close();
    const late = new NatsService();
    cleanup.push(() => late.close());
    const b = await NatsGroupChannel.open(await late.lease({ servers: server.url }), group, FAST);
    cleanup.push(() => b.close());
    const got: string[] = [];
    b.onMessage((_s, d) => got.push(dec(d)));
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toEqual(['recent']);
  });

  it('says why it cannot connect: nothing there, or credentials refused', async () => {
    const service = new NatsService();
    cleanup.push(() => service.close());
    await expect(service.lease({ servers: 'nats://127.0.0.1:9' })).rejects.toThrow(
      /cannot connect to NATS at nats:\/\/127\.0\.0\.1:9: /,
    );
    expect([...service.connectionStates().values()].map((s) => s.kind)).toEqual(['failed']);
    await expect(service.lease({ servers: 'http://hub:4222' })).rejects.toThrow(
      'servers: "http://hub:4222" is not a nats:// (or tls://) URL; write nats://host:port',
    );
    await expect(service.lease({ servers: server.url, credentials: '/nonexistent/x.creds' })).rejects.toThrow(
      /cannot read the NATS credentials file \/nonexistent\/x\.creds/,
    );
    const guarded = await NatsServer.start({ args: ['--user', 'alice', '--pass', 'secret'] });
    cleanup.push(() => guarded.dispose());
    await expect(service.lease({ servers: guarded.url })).rejects.toThrow(/credentials refused/);
  });
});
