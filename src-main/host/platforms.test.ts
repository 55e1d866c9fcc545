// "One file, any transport": the registry's QuickSilver entry means the LAN or a NATS platform,
// per machine. These tests follow a LAN-minted reference up to the platform reference a host
// started with --platform gives it, with a fake connection (nats-hosts.test.ts: a real server).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkStatus, isNatsStatus } from '../../src-shared/bridge/network';
import { parseLiveObject, writeLiveObject } from '../../src-shared/format';
import type { Reference } from '../../src-shared/format/document';
import { NatsServersError, parseNatsServers } from '../../src-shared/platform/nats-servers';
import { PLATFORM_NAME, REGISTRY_ID, RegistryError } from '../objects/registry';
import { requestItem } from '../runtime/folder';
import { checkDocument, typeOfReference } from '../runtime/static-check';
import { createHost } from './host';
import type { Host } from './host';
import type { NatsConnection, NatsConnectionState } from './host-platform';
import { mintReference } from './mint';
import { NATS_PLATFORM_ID, choosePlatform, natsPlatformReference } from './platforms';
import { hostRegistryEntries } from './registry';
import { FAST, Recorder, tempHome } from './test-helpers';
import { freeTcpPort } from '../../testing/ports';

const NS = 'xmlns="urn:liveobjects:1" version="1"';

function registryWith(quickSilver?: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lo-platforms-')), 'registry.json');
  if (quickSilver !== undefined)
    writeFileSync(path, JSON.stringify({ version: 1, entries: { QuickSilver: quickSilver } }));
  return path;
}

/** registry.json's QuickSilver as a nats.platform written by hand. */
function natsEntry(params: Readonly<Record<string, string>>): string {
  const xml = Object.entries(params)
    .map(([name, value]) => `<param name="${name}"><value type="string">${value}</value></param>`)
    .join('');
  return `<liveobject ${NS}><parameterized><template><primitive id="nats.platform"/></template>${xml}</parameterized></liveobject>`;
}

describe('NATS server URLs', () => {
  it('takes one or more nats:// or tls:// URLs, the port defaulting to 4222', () => {
    expect(parseNatsServers('nats://hub.example:4222')).toEqual(['nats://hub.example:4222']);
    expect(parseNatsServers('nats://a:4222, tls://b ,nats://10.0.0.7:5222')).toEqual([
      'nats://a:4222',
      'tls://b:4222',
      'nats://10.0.0.7:5222',
    ]);
  });

  it('says what is wrong with each bad one', () => {
    const problem = (text: string): string => {
      try {
        parseNatsServers(text);
      } catch (e) {
        expect(e).toBeInstanceOf(NatsServersError);
        return (e as Error).message;
      }
      throw new Error(`'${text}' was accepted`);
    };
    expect(problem('')).toMatch(/one or more NATS server URLs, comma-separated/);
    expect(problem('nats://a:4222,')).toMatch(/comma-separated/);
    expect(problem('nats://')).toBe('NATS server URLs like nats://HOST:4222');
    expect(problem('nats://hub:99999')).toBe('NATS server URLs like nats://HOST:4222');
    expect(problem('nats://a,nats://hub:99999')).toBe(
      "NATS server URLs like nats://HOST:4222 ('nats://hub:99999' is not one)",
    );
    expect(problem('http://hub:4222')).toBe('nats:// or tls:// URLs, not http://');
    expect(problem('hub.example:4222')).toBe('nats:// or tls:// URLs, not hub.example://');
    expect(problem('nats://a,http://hub')).toBe("nats:// or tls:// URLs, not http:// (in 'http://hub')");
    expect(problem('nats://hub:0')).toBe('a port from 1 to 65535');
    const secret = problem('nats://alice:secret@hub:4222');
    expect(secret).toMatch(/without a user name or password: give a \.creds file/);
    expect(secret).not.toContain('secret');
    expect(problem('nats://hub:4222/x')).toMatch(/only a scheme, host and port/);
  });
});

describe('choosePlatform', () => {
  it('the LAN by default; --platform wins over registry.json', () => {
    expect(choosePlatform(registryWith())).toEqual({ kind: 'lan' });
    const path = registryWith(natsEntry({ servers: 'nats://hub:4222' }));
    expect(choosePlatform(path, { servers: ['nats://other:4222'] })).toEqual({
      kind: 'nats',
      servers: ['nats://other:4222'],
      given: 'option',
    });
  });

  it('reads a nats.platform QuickSilver entry of registry.json, servers checked', () => {
    expect(
      choosePlatform(
        registryWith(natsEntry({ servers: 'nats://hub:4222,tls://hub2', credentials: '/k/t.creds' })),
      ),
    ).toEqual({
      kind: 'nats',
      servers: ['nats://hub:4222', 'tls://hub2:4222'],
      credentials: '/k/t.creds',
      given: 'registry',
    });
    expect(() => choosePlatform(registryWith(natsEntry({ servers: 'http://hub' })))).toThrow(
      'entry "QuickSilver": "servers" must be nats:// or tls:// URLs, not http://; found \'http://hub\'',
    );
    expect(() => choosePlatform(registryWith(natsEntry({})))).toThrow(RegistryError);
    expect(() => choosePlatform(registryWith(natsEntry({})))).toThrow(
      /nats.platform needs the parameter "servers"/,
    );
  });

  it('refuses LAN options given to a home whose registry.json makes QuickSilver NATS', () => {
    const path = registryWith(natsEntry({ servers: 'nats://hub:4222' }));
    expect(() => choosePlatform(path, { lanOptions: ['--gms', '--bridge'] })).toThrow(
      `${path} makes QuickSilver a NATS platform (nats://hub:4222), so --gms and --bridge do not apply: leave them out, or remove that entry to run on the LAN`,
    );
    // On the LAN they are what they always were.
    expect(choosePlatform(registryWith(), { lanOptions: ['--gms'] })).toEqual({ kind: 'lan' });
  });

  it('a qsm.platform entry stays the LAN', () => {
    const qsm = `<liveobject ${NS}><parameterized><template><primitive id="qsm.platform"/></template><param name="gms"><value type="address">10.0.0.5:7070</value></param></parameterized></liveobject>`;
    expect(choosePlatform(registryWith(qsm))).toEqual({ kind: 'lan' });
  });
});

describe('the registry of a host on NATS', () => {
  it('maps QuickSilver to the nats.platform reference of the servers chosen', () => {
    const path = registryWith();
    const entries = hostRegistryEntries(path, undefined, {
      kind: 'nats',
      servers: ['nats://hub.example:4222', 'nats://hub2.example:4222'],
      given: 'option',
    });
    const expected = natsPlatformReference({ servers: 'nats://hub.example:4222,nats://hub2.example:4222' });
    expect(entries.get(PLATFORM_NAME)).toEqual(expected);
    expect(expected).toEqual({
      kind: 'parameterized',
      template: { kind: 'primitive', id: NATS_PLATFORM_ID },
      params: [
        {
          name: 'servers',
          value: {
            kind: 'value',
            value: { type: 'string', value: 'nats://hub.example:4222,nats://hub2.example:4222' },
          },
        },
      ],
    });
    // The same reference, written out, is what registry.json may say instead.
    const written = writeLiveObject({ meta: {}, types: [], reference: expected });
    expect(choosePlatform(registryWith(written))).toMatchObject({ kind: 'nats', given: 'registry' });
    // On the LAN the entry stays qsm.platform.
    const lan = hostRegistryEntries(path, undefined).get(PLATFORM_NAME);
    expect(lan?.kind === 'parameterized' && lan.template.kind === 'primitive' && lan.template.id).toBe(
      'qsm.platform',
    );
  });
});

/** A NATS connection whose state the test sets: the interface the NATS client fills. */
class FakeNats implements NatsConnection {
  readonly memberId = 'nats/dana-1';
  private current: NatsConnectionState = { state: 'connecting' };
  private readonly listeners = new Set<() => void>();
  closed = false;
  state(): NatsConnectionState {
    return this.current;
  }
  set(state: NatsConnectionState): void {
    this.current = state;
    for (const l of [...this.listeners]) l();
  }
  onState(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('a host started with --platform nats://…', () => {
  const hosts: Host[] = [];
  afterEach(async () => {
    for (const h of hosts.splice(0)) await h.close();
  });

  async function natsHost(nats: FakeNats): Promise<Host> {
    const lines: string[] = [];
    const h = await createHost({
      shell: 'web',
      home: tempHome(),
      userName: 'Dana',
      platform: ['nats://hub.example:4222'],
      natsConnector: (choice) => {
        expect(choice).toEqual({ kind: 'nats', servers: ['nats://hub.example:4222'], given: 'option' });
        return nats;
      },
      log: (line) => lines.push(line),
      ...FAST,
    });
    hosts.push(h);
    expect(lines.join('\n')).toContain(
      'network: NATS platform at nats://hub.example:4222 (given with --platform)',
    );
    // No LAN machinery: no interface choice, no membership service found or served.
    expect(lines.filter((l) => /^(network: interface|membership:)/.test(l))).toEqual([]);
    return h;
  }

  it('runs no LAN membership: no engine network, no GMS served; its member id is the NATS one', async () => {
    const nats = new FakeNats();
    const h = await natsHost(nats);
    expect(h.network).toBeUndefined();
    expect(h.hostsGms).toBe(false);
    expect(h.nodeId).toBe('nats/dana-1');
    expect(h.platform).toEqual({ kind: 'nats', servers: ['nats://hub.example:4222'], given: 'option' });
    await h.close();
    hosts.splice(0);
    expect(nats.closed).toBe(true);
  });

  it('resolves a LAN-minted note through QuickSilver to the NATS platform reference', async () => {
    const h = await natsHost(new FakeNats());
    const { xml } = mintReference('note', 'Plan');
    const doc = parseLiveObject(xml);
    // The file is the LAN's, unchanged: it names QuickSilver through the registry.
    expect(xml).toContain('<external name="QuickSilver"');
    expect(checkDocument(doc, { catalogue: h.runtime.catalogue }).problems).toEqual([]);
    // This machine's registry answers QuickSilver with the NATS platform.
    const registry = await h.runtime.dereference({ kind: 'primitive', id: REGISTRY_ID });
    let platform: Reference;
    try {
      platform = await requestItem(registry, PLATFORM_NAME, { timeoutMs: 5000 });
    } finally {
      registry.dispose();
    }
    expect(platform).toEqual(natsPlatformReference({ servers: 'nats://hub.example:4222' }));
    // The NATS platform is a folder of channels, as the file's reference expects of QuickSilver.
    expect(h.runtime.catalogue.get(NATS_PLATFORM_ID)).toBeDefined();
    expect(() => typeOfReference(platform, { catalogue: h.runtime.catalogue })).not.toThrow();
  });

  it('reports the NATS platform and its state in the network status; presence is not available', async () => {
    const nats = new FakeNats();
    const h = await natsHost(nats);
    const r = new Recorder(h.openSession('web'));
    const first = NetworkStatus.parse(await r.session.call('network', {}));
    expect(isNatsStatus(first)).toBe(true);
    expect(first).toMatchObject({
      platform: { kind: 'nats', servers: ['nats://hub.example:4222'], given: 'option', state: 'connecting' },
      presence: false,
      peers: [],
      problems: [],
    });
    expect(first).not.toHaveProperty('interface');
    expect(first).not.toHaveProperty('membership');
    nats.set({ state: 'failed', detail: 'Authorization Violation' });
    const failed = NetworkStatus.parse(await r.session.call('network', {}));
    expect(failed).toMatchObject({ platform: { state: 'failed', detail: 'Authorization Violation' } });
    expect(failed.problems.map((p) => p.kind)).toEqual(['nats-unreachable']);
    expect(failed.problems[0]?.message).toMatch(
      /^The NATS servers at nats:\/\/hub\.example:4222 cannot be used \(Authorization Violation\)\./,
    );
  });

  it('a host configured by registry.json alone runs on NATS too', async () => {
    const home = tempHome();
    writeFileSync(
      join(home, 'registry.json'),
      JSON.stringify({
        version: 1,
        entries: { QuickSilver: natsEntry({ servers: 'nats://hub.example:4222' }) },
      }),
    );
    const h = await createHost({ shell: 'web', home, natsConnector: () => new FakeNats(), ...FAST });
    hosts.push(h);
    expect(h.network).toBeUndefined();
    expect(h.platform).toMatchObject({ kind: 'nats', given: 'registry' });
  });
});

describe('a LAN host started with --bridge nats://…', () => {
  it('stays on the LAN and shows the bridge as asked for, not available yet', async () => {
    const lines: string[] = [];
    const h = await createHost({
      shell: 'web',
      home: tempHome(),
      gms: { host: '127.0.0.1', port: await freeTcpPort() },
      bridge: ['nats://hub.example:4222'],
      log: (line) => lines.push(line),
      ...FAST,
    });
    try {
      expect(h.platform).toEqual({ kind: 'lan' });
      expect(h.network).toBeDefined();
      expect(lines).toContain(
        'network: --bridge nats://hub.example:4222 recorded; the bridge to NATS is not available yet, so objects stay on the LAN',
      );
      const status = NetworkStatus.parse(
        await new Recorder(h.openSession('web')).session.call('network', {}),
      );
      expect(status.platform).toEqual({ kind: 'lan' });
      expect(isNatsStatus(status) ? undefined : status.bridge).toEqual({
        servers: ['nats://hub.example:4222'],
        state: 'not-available',
      });
    } finally {
      await h.close();
    }
  });
});
