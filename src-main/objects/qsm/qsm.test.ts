// The channel objects over real engine nodes in-process, with a private embedded GMS.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmbeddedGms } from '../../engine/gms';
import type { EmbeddedGms } from '../../engine/gms';
import { parseLiveObject } from '../../../src-shared/format';
import { createRuntime } from '../index';
import { EngineGroupChannel, FRAGMENT_BYTES } from './engine-channel';
import { channelAccess } from './channel-entry';
import { qsmChannelReference } from './platform-entry';
import { SealedGroupChannel } from '../sealed';
import { QsmService } from './service';
import { errorText } from '../../../src-shared/util/error-text';
import { freeTcpPort } from '../../../testing/ports';
import { waitFor } from '../../../testing/wait';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(): Promise<{ gms: EmbeddedGms; services: [QsmService, QsmService] }> {
  const gms = await startEmbeddedGms({ host: '127.0.0.1', port: await freeTcpPort(), batchMs: 20 });
  cleanup.push(() => gms.close());
  const services: [QsmService, QsmService] = [
    new QsmService({ tunables: { tokenIntervalMs: 50 } }),
    new QsmService({ tunables: { tokenIntervalMs: 50 } }),
  ];
  for (const s of services) cleanup.push(() => s.close());
  return { gms, services };
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('EngineGroupChannel', () => {
  it('delivers own messages exactly once, FIFO per sender, and reports views', async () => {
    const { gms, services } = await setup();
    const [a, b] = await Promise.all(
      services.map(async (s) => new EngineGroupChannel(await s.lease(gms.address, 'g'))),
    );
    const got: Record<string, string[]> = { a: [], b: [] };
    a!.onMessage((sender, d) => got.a!.push(`${sender === a!.self ? 'a' : 'b'}:${dec(d)}`));
    b!.onMessage((sender, d) => got.b!.push(`${sender === a!.self ? 'a' : 'b'}:${dec(d)}`));
    await waitFor('both members in both views', () => a!.members.length === 2 && b!.members.length === 2);
    expect(a!.members).toContain(a!.self);
    for (let i = 0; i < 50; i++) void a!.send(enc(`${i}`));
    await waitFor('50 messages at each', () => got.a!.length === 50 && got.b!.length === 50);
    await new Promise((r) => setTimeout(r, 200));
    const expected = Array.from({ length: 50 }, (_, i) => `a:${i}`);
    expect(got.a).toEqual(expected);
    expect(got.b).toEqual(expected);
    // Large messages travel as fragments and come back whole.
    const big = new Uint8Array(FRAGMENT_BYTES * 3 + 17).map((_, i) => i % 251);
    const bigs: Uint8Array[] = [];
    b!.onMessage((_s, d) => d.length > 1000 && bigs.push(d));
    await a!.send(big);
    await waitFor('the big message', () => bigs.length === 1);
    expect(Buffer.compare(Buffer.from(bigs[0]!), Buffer.from(big))).toBe(0);
  });

  it('keyed groups drop what does not authenticate and what is replayed, and encrypt', async () => {
    const { gms, services } = await setup();
    const keyed = async (service: QsmService, secret: string) => {
      const runtime = createRuntime({ qsm: service });
      const reference = qsmChannelReference(gms.address, 'k', enc(secret));
      const proxy = await runtime.open({ meta: {}, types: [], reference });
      cleanup.push(async () => proxy.dispose());
      const channel = channelAccess(proxy)?.channel;
      if (!(channel instanceof SealedGroupChannel)) throw new Error('a keyed qsm.channel is sealed');
      return channel;
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    cleanup.push(async () => void warn.mockRestore());
    const good = await keyed(services[0], 'secret');
    const bad = await keyed(services[1], 'guess');
    const third = new QsmService({ tunables: { tokenIntervalMs: 50 } });
    cleanup.push(() => third.close());
    const eve = new EngineGroupChannel(await third.lease(gms.address, 'k'));
    const got: string[] = [];
    const seen: Uint8Array[] = [];
    good.onMessage((_s, d) => got.push(dec(d)));
    bad.onMessage(() => undefined);
    eve.onMessage((sender, d) => sender === good.self && seen.push(d));
    await waitFor('three members', () => good.members.length === 3);
    await bad.send(enc('forged'));
    await good.send(enc('real'));
    await waitFor(
      'the real message delivered and the forged one rejected',
      () => got.includes('real') && bad.rejectedTotal === 1 && seen.length === 1,
    );
    // Encrypted: the member without the key sees no text; re-sent by it, nothing is delivered.
    expect(Buffer.from(seen[0]!).includes(Buffer.from('real'))).toBe(false);
    for (let i = 0; i < 3; i++) await eve.send(seen[0]!);
    await waitFor('the replays rejected', () => good.rejectedTotal === 4);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual(['real']);
  });

  it('reference-counts joins: the group is left when the last lease is released', async () => {
    const { gms, services } = await setup();
    const node = await services[0].node(gms.address);
    const watcher = new EngineGroupChannel(await services[1].lease(gms.address, 'r'));
    const l1 = node.lease('r');
    const l2 = node.lease('r');
    await waitFor('two members', () => watcher.members.length === 2);
    l1.release();
    await new Promise((r) => setTimeout(r, 300));
    expect(watcher.members.length).toBe(2);
    l2.release();
    await waitFor('one member', () => watcher.members.length === 1);
  });

  /** A node of a service whose onError records [message, where] pairs. */
  async function nodeReportingErrors() {
    const { gms } = await setup();
    const reported: unknown[] = [];
    const service = new QsmService({
      tunables: { tokenIntervalMs: 50 },
      onError: (error, where) => reported.push([errorText(error), where]),
    });
    cleanup.push(() => service.close());
    return { node: await service.node(gms.address), reported };
  }

  it("passes what a group's listener throws to the service's onError, and the node counts it", async () => {
    const { node, reported } = await nodeReportingErrors();
    const channel = new EngineGroupChannel(node.lease('e'));
    const got: string[] = [];
    channel.onMessage((_s, d) => {
      if (dec(d) === 'bad') throw new Error('cannot take bad');
      got.push(dec(d));
    });
    await waitFor('one member', () => channel.members.length === 1);
    await channel.send(enc('bad'));
    await channel.send(enc('good'));
    await waitFor('the message', () => got.length === 1);
    expect(got).toEqual(['good']);
    expect(reported).toEqual([['cannot take bad', { handler: 'message', group: 'e', sender: node.id }]]);
    expect(node.started.node.stats().handlerErrors).toBe(1);
  });

  it("keeps one lease's failing listener from the group's other leases and views", async () => {
    const { node, reported } = await nodeReportingErrors();
    const failing = node.lease('f');
    const healthy = node.lease('f');
    failing.onMessage(() => {
      throw new Error('listener bug');
    });
    failing.onView(() => {
      throw new Error('view bug');
    });
    const got: string[] = [];
    const views: (readonly string[])[] = [];
    healthy.onMessage((_s, d) => got.push(dec(d)));
    healthy.onView((members) => views.push(members));
    await waitFor('a view', () => views.length === 1);
    expect(views[0]).toEqual([node.id]);
    await healthy.send(enc('one'));
    await waitFor('the message', () => got.length === 1);
    expect(got).toEqual(['one']);
    expect(reported).toEqual([
      ['view bug', { handler: 'view' }],
      ['listener bug', { handler: 'message', group: 'f', sender: node.id }],
    ]);
    expect(node.started.node.stats().handlerErrors).toBe(2);
    failing.release();
    healthy.release();
  });
});

describe('qsm.platform, qsm.channel, liveobjects.checkpointed', () => {
  it('resolves a portable channel reference and exchanges messages over the endpoint', async () => {
    const { gms, services } = await setup();
    const xml = `<liveobject xmlns="urn:liveobjects:1" version="1">
      <external name="chat" as="Channel&lt;Bytes&gt;">
        <from><parameterized><template><primitive id="qsm.platform"/></template>
          <param name="gms"><value type="address">127.0.0.1:${gms.address.port}</value></param>
        </parameterized></from>
      </external></liveobject>`;
    const runtimes = services.map((qsm) => createRuntime({ qsm }));
    const doc = parseLiveObject(xml);
    const proxies = await Promise.all(runtimes.map((r) => r.open(doc)));
    for (const p of proxies) cleanup.push(async () => p.dispose());
    const { LocalProxy } = await import('../../runtime/proxy');
    const { dualEndpointType, objectType } = await import('../../../src-shared/model/build');
    const clients = proxies.map((p) => {
      const ep = p.endpoint('channel');
      const client = new LocalProxy(
        'client',
        objectType({ name: 'C', endpoints: [['c', dualEndpointType(ep.type)]] }),
      );
      ep.connect(client.endpoint('c'));
      return client;
    });
    const got: string[] = [];
    clients[1]!.portal('c').on('receive', (d) => got.push(dec(d as Uint8Array)));
    await new Promise((r) => setTimeout(r, 300));
    clients[0]!.portal('c').send('send', enc('hi'));
    await waitFor('the message', () => got.includes('hi'));
  });

  it('refuses a checkpointed channel whose channel argument is not a channel', async () => {
    const runtime = createRuntime();
    const xml = `<liveobject xmlns="urn:liveobjects:1" version="1"><parameterized>
      <template><primitive id="liveobjects.checkpointed"/></template>
      <param name="channel"><primitive id="liveobjects.registry"/></param>
    </parameterized></liveobject>`;
    await expect(runtime.open(parseLiveObject(xml))).rejects.toThrow();
  });
});
