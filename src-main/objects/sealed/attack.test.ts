// Attacks on private objects from another process that knows the group's name but not the
// object key (testing/intruder.ts: a real engine node over UDP on loopback): it reads only
// ciphertext, and what it injects, forges, replays or re-attributes is dropped, counted and
// reported once, never delivered.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmbeddedGms } from '../../engine/gms';
import type { Reference } from '../../../src-shared/format/document';
import { createRuntime } from '../index';
import { QsmService, channelAccess, qsmChannelReference } from '../qsm';
import type { Proxy } from '../../runtime/proxy';
import { Recorder, TEST_WORKSPACE, useHosts } from '../../host/test-helpers';
import { packetKey } from '../../host/workspace';
import { freeTcpPort } from '../../../testing/ports';
import { waitFor } from '../../../testing/wait';
import { spawnTsx } from '../../../testing/liveobjects';
import type { ManagedProcess } from '../../../testing/processes';
import { SEALED_ID } from './sealed-entry';
import { SealedGroupChannel } from './sealed-channel';
import { freshObjectKey } from './object-key';

const INTRUDER = join(import.meta.dirname, 'testing', 'intruder.ts');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const { host } = useHosts();

interface Intruder {
  readonly id: string;
  /** Runs one command and returns its answer. */
  ask(command: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The messages of others it received so far. */
  captured(): Promise<Uint8Array[]>;
}

/** An intruder in `group`; with `key`, a member of the workspace (it holds the packet key). */
async function startIntruder(gmsPort: number, group: string, key?: Uint8Array): Promise<Intruder> {
  const proc: ManagedProcess = spawnTsx(
    'intruder',
    INTRUDER,
    [
      '--gms',
      `127.0.0.1:${gmsPort}`,
      '--group',
      group,
      ...(key ? ['--packet-key', Buffer.from(key).toString('hex')] : []),
    ],
    {
      input: true,
    },
  );
  cleanup.push(async () => void (await proc.stop()));
  const ready = await proc.waitForJson((m) => m['t'] === 'ready', 60_000, 'the intruder in the group');
  const ask = async (command: Record<string, unknown>): Promise<Record<string, unknown>> => {
    proc.send(command);
    const answer = await proc.waitForJson(
      (m) => m['t'] !== 'ready',
      30_000,
      `the answer to ${command['op']}`,
    );
    if (answer['t'] === 'error') throw new Error(String(answer['message']));
    return answer;
  };
  return {
    id: String(ready['id']),
    ask,
    async captured() {
      const answer = await ask({ op: 'captured' });
      return (answer['base64'] as string[]).map((b) => new Uint8Array(Buffer.from(b, 'base64')));
    },
  };
}

function includes(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle, 'utf8'));
}

describe('a private note against a workspace member without its key', () => {
  it('sends only ciphertext (checkpoints too), and refuses injected, forged and replayed messages', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    cleanup.push(async () => warn.mockRestore());
    const port = await freeTcpPort();
    const ra = new Recorder((await host(port, 'alice')).openSession('web'));
    const rb = new Recorder((await host(port, 'bob')).openSession('web'));
    const na = await ra.session.call('create', { template: 'note' });
    const group = /<external name="(note-[0-9a-f]+)"/.exec(na.reference)?.[1];
    expect(group).toBeDefined();
    await ra.type(na.handle, 0, 'launch code 4711');
    const nb = await rb.session.call('open', { xml: na.reference });
    await waitFor('bob has the note', () => rb.text(nb.handle) === 'launch code 4711');

    const intruder = await startIntruder(port, group!, packetKey(TEST_WORKSPACE));
    await ra.type(na.handle, 16, ', meet at the harbour');
    await waitFor('bob has the edit', () => rb.text(nb.handle).endsWith('harbour'));
    // A late joiner while the intruder is a member: the checkpoint travels sealed too.
    const rc = new Recorder((await host(port, 'carol')).openSession('web'));
    const nc = await rc.session.call('open', { xml: na.reference });
    await waitFor('carol has the note', () => rc.text(nc.handle) === 'launch code 4711, meet at the harbour');

    const captured = await intruder.captured();
    expect(captured.length).toBeGreaterThan(0);
    for (const secret of ['launch', '4711', 'harbour'])
      expect(captured.filter((c) => includes(c, secret)).length, `'${secret}' in the clear`).toBe(0);

    await intruder.ask({ op: 'inject', text: 'plain text from the intruder' });
    await intruder.ask({ op: 'forge', count: 20 });
    await intruder.ask({ op: 'replay', index: captured.length - 1, times: 3 });
    await ra.type(na.handle, 0, '> ');
    const expected = '> launch code 4711, meet at the harbour';
    await waitFor('everyone has the next edit', () =>
      [ra.text(na.handle), rb.text(nb.handle), rc.text(nc.handle)].every((t) => t === expected),
    );
    // Each host's sealed channel told of its first drop, once; the 24 drops are only counted.
    const drops = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes(SEALED_ID));
    expect(drops.length).toBeGreaterThanOrEqual(1);
    expect(drops.length).toBeLessThanOrEqual(3);
    for (const d of drops) expect(d).toContain(`from ${intruder.id} on group ${group}`);
    expect([...ra.errors(), ...rb.errors(), ...rc.errors()]).toEqual([]);
  });
});

describe('a sealed channel against a process without its key', () => {
  it('delivers each message once, from its sender; what the intruder sends is dropped and counted', async () => {
    const gms = await startEmbeddedGms({ host: '127.0.0.1', port: await freeTcpPort(), batchMs: 20 });
    cleanup.push(() => gms.close());
    const group = `sealed-${Math.random().toString(16).slice(2)}`;
    const reference: Reference = {
      kind: 'parameterized',
      template: { kind: 'primitive', id: SEALED_ID },
      params: [
        { name: 'channel', value: { kind: 'reference', reference: qsmChannelReference(gms.address, group) } },
        { name: 'key', value: { kind: 'value', value: { type: 'bytes', value: freshObjectKey() } } },
      ],
    };
    const reports: string[] = [];
    const open = async (): Promise<SealedGroupChannel> => {
      const qsm = new QsmService({ tunables: { tokenIntervalMs: 50 } });
      cleanup.push(() => qsm.close());
      const runtime = createRuntime({
        qsm,
        sealed: { onRejected: (_g, reason, sender) => reports.push(`${reason} from ${sender}`) },
      });
      const proxy: Proxy = await runtime.open({ meta: {}, types: [], reference });
      cleanup.push(async () => proxy.dispose());
      const channel = channelAccess(proxy)?.channel;
      if (!(channel instanceof SealedGroupChannel)) throw new Error('not a sealed channel');
      return channel;
    };
    const alice = await open();
    const bob = await open();
    alice.onMessage(() => undefined);
    const got: string[] = [];
    bob.onMessage((sender, data) => got.push(`${sender === alice.self ? 'alice' : sender}: ${dec(data)}`));
    const intruder = await startIntruder(gms.address.port, group);
    await waitFor('three members', () => bob.members.length === 3 && alice.members.length === 3);

    await alice.send(enc('one'));
    await alice.send(enc('two'));
    await waitFor('two messages', () => got.length === 2);
    const captured = await intruder.captured();
    expect(captured.length).toBe(2);
    expect(captured.some((c) => includes(c, 'one') || includes(c, 'two'))).toBe(false);

    await intruder.ask({ op: 'inject', text: 'plain' });
    await intruder.ask({ op: 'forge', count: 10 });
    // Re-sent by the intruder, alice's message claims the intruder as its sender: it does not
    // authenticate as the intruder's, nor is it taken for alice's again.
    await intruder.ask({ op: 'replay', index: 0, times: 3 });
    await waitFor('14 drops at bob', () => bob.rejectedTotal === 14);
    expect(bob.rejected).toEqual({ malformed: 1, forged: 13, replayed: 0 });
    await alice.send(enc('three'));
    await waitFor('the third message', () => got.length === 3);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual(['alice: one', 'alice: two', 'alice: three']);
    expect(alice.rejectedTotal).toBe(14);
    // Reported once per channel (alice's and bob's), with the intruder named.
    expect(reports).toEqual([`malformed from ${intruder.id}`, `malformed from ${intruder.id}`]);
  });
});
