import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../channel/memory-network';
import { CheckpointedChannel } from './checkpointed-channel';
import { decodeMessage, encodeMessage, MessageType } from './messages';
import { VersionVector } from './version-vector';
import { addNode, convergenceProblems, LogClient, stream } from './test-helpers';
import type { TestNode } from './test-helpers';

const encoder = new TextEncoder();

async function settle(net: MemoryNetwork, nodes: readonly TestNode[], maxMs = 30_000): Promise<void> {
  await net.clock.runUntil(() => nodes.every((n) => n.channel.state !== 'joining'), maxMs);
  // Drain in-flight updates.
  await net.clock.advance(1_000);
}

describe('CheckpointedChannel', () => {
  it('makes the first member ready as soon as it sees its first view, without a checkpoint', async () => {
    const net = new MemoryNetwork();
    const a = addNode(net, 'a');
    expect(a.channel.state).toBe('joining');
    await net.clock.runUntil(() => a.channel.state === 'ready', 100);
    await expect(a.channel.ready).resolves.toBeUndefined();
    expect(a.client.initialized).toBe(0);
    await a.sendNext();
    await net.clock.advance(20);
    expect(a.client.logs.get('a')).toEqual([1]);
  });

  it('holds updates sent before the first view and applies them after joining', async () => {
    const net = new MemoryNetwork();
    const a = addNode(net, 'a');
    // These resolve only once the first view is installed.
    const early = [a.sendNext(), a.sendNext()];
    await settle(net, [a]);
    await Promise.all(early);
    const b = addNode(net, 'b');
    await settle(net, [a, b]);
    expect(convergenceProblems([a, b])).toEqual([]);
    expect(b.client.initialized).toBe(1);
  });

  it('brings a late joiner to exactly the state of 3 continuous senders', async () => {
    const net = new MemoryNetwork({ seed: 7, maxDelayMs: 20 });
    const senders = ['a', 'b', 'c'].map((id) => addNode(net, id));
    await settle(net, senders);
    for (const s of senders) stream(net, s, 3, 2_000);
    await net.clock.advance(500);
    const joiner = addNode(net, 'j');
    await net.clock.runUntil(() => joiner.channel.state === 'ready');
    expect(net.clock.now).toBeLessThan(2_000); // it joined while the stream was running
    await net.clock.advance(3_000);
    const problems = convergenceProblems([...senders, joiner], senders);
    expect(problems).toEqual([]);
    expect(joiner.client.initialized).toBe(1);
    expect(joiner.channel.stats.checkpointsReceived).toBe(1);
    expect(joiner.channel.stats.maxBuffered).toBeGreaterThan(0);
    expect(joiner.client.logs.get('a')?.length).toBeGreaterThan(300);
  });

  describe('an update sent before the sender saw the joiner, reaching the provider late', () => {
    // 'a' is the provider; 's' sends one update just before it installs the view with 'j',
    // and that update is slow to reach 'a': 'j' never receives it, 'a' applies it late.
    async function run(providerWaitMs: number): Promise<[TestNode, TestNode, TestNode]> {
      let joining = false;
      const net = new MemoryNetwork({
        seed: 3,
        minDelayMs: 1,
        maxDelayMs: 2,
        delay: (from, to) => (joining && from === 's' && to === 'a' ? 300 : undefined),
        viewDelay: (member) => (joining && member === 's' ? 50 : undefined),
      });
      const options = { providerWaitMs, gapRetryDelayMs: 40 };
      const a = addNode(net, 'a', options);
      const s = addNode(net, 's', options);
      await settle(net, [a, s]);
      await s.sendNext();
      await net.clock.advance(50);
      joining = true;
      const joinedAt = net.clock.now;
      const j = addNode(net, 'j', options);
      await net.clock.advance(10);
      await s.sendNext(); // before 's' installs the view with 'j': never reaches 'j'
      await net.clock.runUntil(() => j.channel.state === 'ready', 5_000);
      expect(net.clock.now - joinedAt).toBeGreaterThan(300); // it had to wait for the slow update
      await s.sendNext(); // after: reaches everyone
      await net.clock.advance(1_000);
      expect(convergenceProblems([a, s, j])).toEqual([]);
      expect(j.client.logs.get('s')).toEqual([1, 2, 3]);
      return [a, s, j];
    }

    it('the provider waits until its cut covers what the joiner will never receive', async () => {
      const [a, , j] = await run(1_000);
      expect(a.channel.stats.checkpointWaits).toBe(1);
      expect(a.channel.stats.checkpointWaitTimeouts).toBe(0);
      expect(j.channel.stats.gapsDetected).toBe(0);
    });

    it('without provider wait, the joiner detects the gap and re-requests until covered', async () => {
      const [, , j] = await run(0);
      expect(j.channel.stats.gapsDetected).toBeGreaterThan(0);
      expect(j.channel.stats.gapsAccepted).toBe(0);
      expect(j.channel.stats.checkpointsReceived).toBeGreaterThan(1);
      expect(j.client.initialized).toBe(1);
    });
  });

  describe('a member that leaves before the joiner heard from it', () => {
    // 'l' leaves before it installs the view with 'j', so 'j' never hears from it and cannot
    // know what it sent: a gap here is one the joiner cannot detect. Only the provider 'a' can
    // tell its cut has all of l's updates: once it installs its view without 'l' (a graceful
    // leave installs it after delivering l's messages), however short providerWaitMs is.
    async function run(
      delay: (from: string, to: string, data: Uint8Array) => number | undefined,
      rejoin: boolean,
    ): Promise<TestNode> {
      let joining = false;
      const net = new MemoryNetwork({
        seed: 3,
        minDelayMs: 1,
        maxDelayMs: 2,
        delay: (from, to, data) => (joining ? delay(from, to, data) : undefined),
        viewDelay: (member) => (joining && member === 'l' ? 100 : undefined),
      });
      const options = { providerWaitMs: 0 };
      const a = addNode(net, 'a', options);
      const l = addNode(net, 'l', options);
      await settle(net, [a, l]);
      await l.sendNext();
      await net.clock.advance(50);
      joining = true;
      const j = addNode(net, 'j', options);
      await net.clock.advance(5);
      expect(a.channel.members).toContain('j');
      await l.sendNext(); // to the view l has installed, without 'j'
      await l.channel.close();
      const nodes = [a, j];
      if (rejoin) {
        await net.clock.advance(5);
        nodes.push(addNode(net, 'l', options));
      }
      await settle(net, nodes);
      expect(convergenceProblems(nodes, [a, l])).toEqual([]);
      expect(j.client.logs.get('l')).toEqual([1, 2]);
      expect(j.channel.stats.checkpointsReceived).toBe(1);
      expect(a.channel.stats.departureWaitTimeouts).toBe(0);
      return a;
    }

    it('the provider waits for its view without the leaver, whose last update is slow to reach it', async () => {
      const a = await run((from, to) => (from === 'l' && to === 'a' ? 50 : undefined), false);
      expect(a.channel.stats.checkpointWaits).toBe(1);
    });

    it('the provider counts the departure even if the member is back under the same id', async () => {
      // The request reaches 'a' after 'l' rejoined: 'l' is in a's view again, but a's view
      // without it, installed after 'j' came in, delivered all the first incarnation sent.
      await run(
        (from, to, data) => (from === 'j' && to === 'a' && data[2] === MessageType.request ? 100 : undefined),
        true,
      );
    });
  });

  it('restarts the transfer with the next provider when the provider dies mid-transfer', async () => {
    let chunkSlowdown = 0;
    const net = new MemoryNetwork({
      seed: 5,
      delay: (_from, to, data) =>
        to === 'j' && data[2] === MessageType.chunk ? 1 + chunkSlowdown++ : undefined,
    });
    const blob = new Uint8Array(64 * 1024).map((_, i) => (i * 31) & 0xff);
    const options = { chunkSize: 1024 };
    const a = addNode(net, 'a', options, new LogClient(blob));
    await settle(net, [a]);
    const b = addNode(net, 'b', options);
    await settle(net, [a, b]);
    await a.sendNext();
    await b.sendNext();
    await net.clock.advance(100);
    const j = addNode(net, 'j', options);
    await net.clock.runUntil(() => j.channel.stats.chunksReceived >= 5);
    expect(j.channel.state).toBe('joining');
    net.crash('a');
    await settle(net, [b, j]);
    expect(j.channel.stats.providersLost).toBe(1);
    expect(convergenceProblems([b, j], [a, b])).toEqual([]);
    expect(Buffer.from(j.client.blob).equals(blob)).toBe(true);
  });

  it('chunks a 1 MB checkpoint and reassembles it', async () => {
    const net = new MemoryNetwork({ seed: 11, maxDelayMs: 10 });
    const blob = new Uint8Array(1024 * 1024);
    for (let i = 0; i < blob.length; i++) blob[i] = (i * 2654435761) >>> 24;
    const a = addNode(net, 'a', {}, new LogClient(blob));
    await settle(net, [a]);
    await a.sendNext();
    const j = addNode(net, 'j');
    await settle(net, [a, j]);
    expect(Buffer.from(j.client.blob).equals(blob)).toBe(true);
    expect(a.channel.stats.chunksSent).toBe(33); // 1 MiB + the logs header, in 32 KiB chunks
    expect(j.channel.stats.chunksReceived).toBe(33);
    expect(convergenceProblems([a, j])).toEqual([]);
  });

  it('serves several simultaneous joiners under load', async () => {
    const net = new MemoryNetwork({ seed: 13, maxDelayMs: 15 });
    const a = addNode(net, 'a');
    const b = addNode(net, 'b');
    await settle(net, [a, b]);
    stream(net, a, 4, 1_500);
    stream(net, b, 5, 1_500);
    await net.clock.advance(200);
    const joiners = ['j1', 'j2', 'j3', 'j4'].map((id) => addNode(net, id));
    for (const j of joiners) stream(net, j, 7, 1_500); // joiners send while joining, too
    await settle(net, joiners);
    await net.clock.advance(2_000);
    const all = [a, b, ...joiners];
    expect(convergenceProblems(all)).toEqual([]);
    for (const j of joiners) expect(j.client.initialized).toBe(1);
  });

  it('lets the lowest joiner found the state when no member is ready', async () => {
    const net = new MemoryNetwork({ seed: 17 });
    const a = addNode(net, 'a');
    await settle(net, [a]);
    // 'a' never gets to serve: its requests from the joiners are lost when it crashes.
    const j1 = addNode(net, 'j1');
    const j2 = addNode(net, 'j2');
    await net.clock.advance(2);
    expect([j1.channel.state, j2.channel.state]).toEqual(['joining', 'joining']);
    net.crash('a');
    await settle(net, [j1, j2]);
    // 'j1' founds (empty state); 'j2' then initializes from it.
    expect(j1.client.initialized).toBe(0);
    expect(j2.client.initialized).toBe(1);
    await j1.sendNext();
    await j2.sendNext();
    await net.clock.advance(100);
    expect(convergenceProblems([j1, j2])).toEqual([]);
  });

  it('does not found while a member served by a departed provider may still announce it is ready', async () => {
    // 'a' serves 'k' and leaves before b's request reaches it. 'b' then knows only that 'k'
    // said "joining"; k's "ready" is slow to reach 'b'. Founding at once ('b' is the lowest)
    // would start a second state without a's updates.
    let joining = false;
    const net = new MemoryNetwork({
      seed: 7,
      minDelayMs: 1,
      maxDelayMs: 2,
      delay: (from, to, data) => {
        if (!joining) return undefined;
        if (from === 'b' && to === 'a' && data[2] === MessageType.request) return 100;
        const message = decodeMessage(data);
        return from === 'k' && to === 'b' && message.kind === 'status' && message.ready ? 200 : undefined;
      },
    });
    const a = addNode(net, 'a');
    await settle(net, [a]);
    await a.sendNext();
    await net.clock.advance(10);
    joining = true;
    const b = addNode(net, 'b');
    const k = addNode(net, 'k');
    await net.clock.runUntil(() => k.channel.state === 'ready', 100);
    await a.channel.close();
    await settle(net, [b, k]);
    expect(b.channel.stats.providersLost).toBe(1);
    expect(b.client.initialized).toBe(1);
    expect(convergenceProblems([b, k], [a])).toEqual([]);
  });

  it('tries the next provider after "not ready"; a joining member answers "not ready"', async () => {
    const net = new MemoryNetwork({ seed: 19 });
    const a = addNode(net, 'a');
    await settle(net, [a]);
    // A forged member '0' (lowest id) claims to be ready, then refuses the joiner's request.
    const raw = net.join('0');
    const notReadyFrom: string[] = [];
    raw.onView(
      () => void raw.send(encodeMessage({ kind: 'status', epoch: 1, lastSeq: 0, ready: true, probe: false })),
    );
    raw.onMessage((sender, data) => {
      const message = decodeMessage(data);
      if (message.kind === 'request' && message.target === '0') {
        void raw.send(encodeMessage({ kind: 'not-ready', target: sender, transferId: message.transferId }));
        // And ask the joiner itself, which must refuse while joining.
        void raw.send(
          encodeMessage({
            kind: 'request',
            target: sender,
            transferId: 77,
            needed: new VersionVector(),
            departed: [],
          }),
        );
      }
      if (message.kind === 'not-ready' && message.target === '0') notReadyFrom.push(sender);
    });
    await net.clock.advance(50);
    await a.sendNext();
    const j = addNode(net, 'j');
    await settle(net, [a, j]);
    expect(j.channel.stats.notReadyReceived).toBe(1);
    expect(notReadyFrom).toEqual(['j']);
    expect(convergenceProblems([a, j])).toEqual([]);
  });

  it('probes when attached to an already-joined channel, and ignores members that never answer', async () => {
    const net = new MemoryNetwork({ seed: 31 });
    const a = addNode(net, 'a');
    await settle(net, [a]);
    await a.sendNext();
    const silent = net.join('s'); // in the group, never speaks the protocol
    const early = net.join('j');
    await net.clock.advance(100); // 'a' announced itself to 'j' before anyone listened
    expect(silent.members).toContain('j');
    const client = new LogClient();
    const j = new CheckpointedChannel(early, client, { timers: net.clock, transferTimeoutMs: 200 });
    await net.clock.runUntil(() => j.state === 'ready', 5_000);
    expect(j.stats.probes).toBe(3);
    await net.clock.advance(100);
    expect(client.snapshot()).toBe(a.client.snapshot());
  });

  it('drops and counts malformed messages without disturbing the protocol', async () => {
    const net = new MemoryNetwork({ seed: 23 });
    const a = addNode(net, 'a');
    const b = addNode(net, 'b');
    await settle(net, [a, b]);
    const raw = net.join('x');
    await net.clock.advance(50);
    const garbage = [
      new Uint8Array([]),
      new Uint8Array([1, 2, 3]),
      new Uint8Array([0xc7, 9, MessageType.update, 1, 1]), // unknown version
      new Uint8Array([0xc7, 1, 99]), // unknown type
      new Uint8Array([0xc7, 1, MessageType.update, 1]), // truncated
      new Uint8Array([0xc7, 1, MessageType.update, 1, 0]), // seq 0
      new Uint8Array([0xc7, 1, MessageType.status, 1, 1, 7]), // bad flags
      new Uint8Array([0xc7, 1, MessageType.chunk, 1, 0x61, 1, 5, 5]), // index >= count
      new Uint8Array([0xc7, 1, MessageType.request, 2, 0xff, 0xfe, 1, 0]), // invalid UTF-8
      new Uint8Array([0xc7, 1, MessageType.update, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    ];
    for (const data of garbage) await raw.send(data);
    await raw.close();
    await a.sendNext();
    await net.clock.advance(200);
    expect(a.channel.stats.malformed).toBe(garbage.length);
    expect(b.channel.stats.malformed).toBe(garbage.length);
    expect(convergenceProblems([a, b])).toEqual([]);
  });

  it('supports the persistence pattern: initialize, then re-send local state as updates', async () => {
    const net = new MemoryNetwork({ seed: 29 });
    const a = addNode(net, 'a');
    await settle(net, [a]);
    await a.sendNext();
    const j = addNode(net, 'j');
    // Local state persisted by 'j' in an earlier session, merged once the shared state is in.
    const persisted = ['j:1', 'j:2'];
    const merged = j.channel.ready.then(() =>
      Promise.all(persisted.map((u) => j.channel.send(encoder.encode(u)))),
    );
    await settle(net, [a, j]);
    await merged;
    await net.clock.advance(100);
    expect(a.client.logs.get('j')).toEqual([1, 2]);
    expect(a.client.snapshot()).toBe(j.client.snapshot());
  });

  it('rejects ready and sends after close', async () => {
    const net = new MemoryNetwork();
    const a = addNode(net, 'a');
    await settle(net, [a]);
    const j = addNode(net, 'j');
    await j.channel.close();
    await expect(j.channel.ready).rejects.toThrow(/closed/);
    await expect(j.sendNext()).rejects.toThrow(/closed/);
    expect(j.channel.state).toBe('closed');
    await net.clock.advance(100);
    expect(net.members).toEqual(['a']);
  });
});
