// A real note over the NATS platform, opened through the runtime as a host opens it:
// liveobjects.note → liveobjects.checkpointed → liveobjects.sealed → `external NAME from
// nats.platform`, against a real `nats-server -js`. Each "host" is a runtime with a NATS
// connection of its own. A host that opens the note while no other member is online gets its
// text from the group's history; the server stores only ciphertext under hashed names.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { Reference } from '../../../src-shared/format/document';
import { UI } from '../../../src-shared/model/catalogue';
import { dualEndpointType, objectType } from '../../../src-shared/model/build';
import { typeExpr } from '../../../src-shared/model/type-expr';
import { LocalProxy } from '../../runtime/proxy';
import { createRuntime } from '../index';
import { freshObjectKey, SEALED_ID } from '../sealed';
import { uiObjectInfo } from '../ui/ui-object';
import { decodeShow, encodeAct } from '../ui/wire';
import { NatsServer, whyNoNatsServer } from '../../../testing/nats';
import { waitFor } from '../../../testing/wait';
import { natsPlatformReference } from './entries';
import { NatsService } from './service';
import { groupNames } from './subjects';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const VIEW = objectType({ name: 'View', endpoints: [['ui', dualEndpointType(UI.endpoints.get('ui')!)]] });
const FAST = { heartbeatMs: 200, presenceTimeoutMs: 1000, settleMs: 300 };

/** note(checkpointed(sealed(external GROUP as Channel<Bytes> from nats.platform(servers), key))). */
function noteReference(servers: string, group: string, key: Uint8Array): Reference {
  const bytes = typeExpr('Bytes');
  const channel: Reference = {
    kind: 'external',
    name: group,
    as: typeExpr('Channel', bytes),
    from: natsPlatformReference({ servers }),
  };
  const param = (name: string, reference: Reference) => ({
    name,
    value: { kind: 'reference' as const, reference },
  });
  return {
    kind: 'parameterized',
    template: { kind: 'primitive', id: 'liveobjects.note' },
    params: [
      param('channel', {
        kind: 'parameterized',
        template: { kind: 'primitive', id: 'liveobjects.checkpointed' },
        params: [
          param('channel', {
            kind: 'parameterized',
            template: { kind: 'primitive', id: SEALED_ID },
            params: [
              param('channel', channel),
              { name: 'key', value: { kind: 'value', value: { type: 'bytes', value: key } } },
            ],
          }),
        ],
      }),
    ],
  };
}

/** A host: a runtime with a NATS connection of its own. */
function host() {
  const nats = new NatsService();
  cleanup.push(() => nats.close());
  return createRuntime({ nats, natsChannel: FAST, checkpointed: { transferTimeoutMs: 1000 } });
}

/** Opens the note in `runtime` with a view whose replica (a Y.Doc) follows the note's text. */
async function openNote(runtime: ReturnType<typeof createRuntime>, reference: Reference) {
  const proxy = await runtime.open({ meta: {}, types: [], reference });
  const view = new LocalProxy('view', VIEW);
  const doc = new Y.Doc();
  view.portal('ui').on('show', (b) => {
    const m = decodeShow(b as Uint8Array);
    if (m.t === 'note.update') Y.applyUpdate(doc, m.update, 'host');
  });
  // What the view's user types goes to the host as the note's Yjs updates.
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'host') view.portal('ui').send('act', encodeAct({ kind: 'note.update', update }));
  });
  proxy.endpoint('ui').connect(view.endpoint('ui'));
  await uiObjectInfo(proxy)!.ready;
  const text = doc.getText('text');
  return {
    proxy,
    text: () => text.toString(),
    type: (s: string) => text.insert(text.length, s),
    close: () => proxy.dispose(),
  };
}

const noServer = whyNoNatsServer();
// Without a server nothing else exercises the real client: CI installs nats-server (.ci/run).
if (noServer !== undefined) console.log(`NATS note test skipped: ${noServer}`);

describe.skipIf(noServer !== undefined)('a note over nats.platform (nats-server -js)', () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await NatsServer.start();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('opened while no other member is online, gets its text from history; the server holds ciphertext only', async () => {
    const group = `note-${Date.now()}-Quarterly plan`;
    const key = freshObjectKey();
    const reference = noteReference(server.url, group, key);

    // Alice writes alone; Bob joins while she is there (a checkpoint over NATS) and adds to it.
    const alice = await openNote(host(), reference);
    alice.type('the secret plan: ');
    const bob = await openNote(host(), reference);
    await waitFor('bob has alice’s text', () => bob.text() === 'the secret plan: ', { timeout: 10_000 });
    bob.type('go north');
    await waitFor('alice has bob’s words', () => alice.text() === 'the secret plan: go north', {
      timeout: 10_000,
    });
    // Both leave; nobody has the note open.
    alice.close();
    bob.close();
    await new Promise((r) => setTimeout(r, 1_500));

    // Carol opens it with nobody online: the history gives her the text.
    const carol = await openNote(host(), reference);
    cleanup.push(() => carol.close());
    await waitFor('carol has the text from history', () => carol.text() === 'the secret plan: go north', {
      timeout: 10_000,
    });
    expect(uiObjectInfo(carol.proxy)!.members()).toHaveLength(1);

    // What the server stores: read the stream raw, as its operator could.
    const names = groupNames(group);
    const raw = await connect({ servers: server.url });
    cleanup.push(() => raw.close());
    const jsm = await jetstreamManager(raw);
    const streams = (await jsm.streams.names().next()).filter((n) => n.startsWith('LO_'));
    expect(streams).toContain(names.stream);
    for (const n of streams) expect(n).not.toMatch(/plan|note|Quarterly/i);
    const info = await jsm.streams.info(names.stream);
    expect(info.config.subjects).toEqual([names.subject]);
    // The documented default limits: 30 days, 256 MiB, one copy.
    expect(info.config.max_age).toBe(30 * 24 * 3600 * 1e9);
    expect(info.config.max_bytes).toBe(256 * 1024 * 1024);
    expect(info.config.num_replicas).toBe(1);
    expect(info.state.messages).toBeGreaterThan(3);
    const stored: Buffer[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(names.stream, { seq });
      expect(m!.subject).toBe(names.subject);
      stored.push(Buffer.from(m!.data));
      for (const [name, values] of m!.header) {
        for (const v of values) expect(`${name}: ${v}`).not.toMatch(/plan|secret|north|Quarterly/i);
      }
    }
    const all = Buffer.concat(stored);
    for (const word of ['secret', 'plan', 'north', 'Quarterly']) expect(all.includes(word)).toBe(false);
  }, 60_000);
});
