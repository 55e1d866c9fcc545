import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLiveObject } from '../../src-shared/format';
import type { Reference } from '../../src-shared/format/document';
import { libraryReferenceXml } from '../../testing/library-note';
import { startLibraryServer } from '../../testing/library-server';
import type { LibraryServer } from '../../testing/library-server';
import { requestItem } from '../runtime/folder';
import { LocalProxy } from '../runtime/proxy';
import { Runtime } from '../runtime/runtime';
import { STRING_CLIENT } from '../runtime/test-objects';
import { builtinCatalogue } from './builtins';
import type { LibraryConsent } from './libraries/consent';
import { givenConsent } from './libraries/consent';
import { libraryItemId, sha256Hex } from './library';

const NS = 'xmlns="urn:liveobjects:1" version="1"';
const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

let server: LibraryServer;
beforeAll(async () => {
  server = await startLibraryServer();
});
afterAll(() => server.close());

/** A module that pings the server with `tag` when it is evaluated, then defines `upper`. */
const MODULE = (tag: string, extra = '') => `
await fetch(${JSON.stringify(`${server.origin}/ran?${tag}`)});
${extra}
export default (lo) => lo.defineLibrary({
  types: { Loud: { kind: 'endpoint', in: { send: 'String' }, out: { receive: 'String' }, provides: { 'liveobjects.guarantees': 'reliable' } },
    Upper: { kind: 'object', endpoints: { channel: 'Loud' } } },
  objects: {
    upper: {
      type: 'Upper',
      create(ctx) {
        const proxy = ctx.proxy();
        const channel = proxy.portal('channel');
        channel.on('send', (text) => channel.send('receive', String(text).toUpperCase()));
        return proxy;
      },
    },
  },
});
`;

let modules = 0;
function serveModule(text: string): { url: string; sha256: string } {
  return server.add(`/lib-${++modules}.js`, text);
}

const ALLOW_ALL = givenConsent({ all: true });
const runtime = (consent: LibraryConsent = ALLOW_ALL) =>
  new Runtime({ catalogue: builtinCatalogue({ library: { consent } }), resolveTimeoutMs: 5000 });

/** A runtime that allows every library and collects the errors of library code. */
const runtimeReporting = (errors: string[]) =>
  new Runtime({
    catalogue: builtinCatalogue({ library: { consent: ALLOW_ALL, onError: (m) => errors.push(m) } }),
    resolveTimeoutMs: 5000,
  });

/** A document naming the library's `upper` object as a Channel<String>. */
const upperOf = (url: string, sha256: string) =>
  parseLiveObject(
    `<liveobject ${NS}><external name="upper" as="Channel&lt;String&gt;"><from>${libraryReferenceXml(url, sha256)}</from></external></liveobject>`,
  );

const load = (rt: Runtime, url: string, sha: string) =>
  rt.dereference(
    parseLiveObject(`<liveobject ${NS}>${libraryReferenceXml(url, sha)}</liveobject>`).reference as Reference,
  );

async function roundTrip(
  proxy: { endpoint(name: string): import('../runtime/endpoint').ExternalEndpoint },
  text: string,
) {
  const client = new LocalProxy('client', STRING_CLIENT);
  const got: unknown[] = [];
  client.portal('channel').on('receive', (m) => got.push(m));
  client.endpoint('channel').connect(proxy.endpoint('channel'));
  client.portal('channel').send('send', text);
  for (let i = 0; i < 100 && got.length === 0; i++) await tick(10);
  return got;
}

const pingsOf = (tag: string) => server.pings().filter((p) => p === `/ran?${tag}`);

describe('liveobjects.library', () => {
  it('refuses a module whose digest does not match, without executing it', async () => {
    const { url, sha256: digest } = serveModule(MODULE('mismatch'));
    const wrong = '0'.repeat(64);
    const doc = parseLiveObject(`<liveobject ${NS}>${libraryReferenceXml(url, wrong)}</liveobject>`);
    const e: unknown = await runtime(givenConsent({ urls: [url] }))
      .open(doc)
      .catch((x: unknown) => x);
    expect((e as Error).message).toContain(
      `SHA-256 mismatch: expected ${wrong}, actual ${digest}; the module was not loaded`,
    );
    await tick(50);
    expect(pingsOf('mismatch')).toEqual([]);
  });

  it('loads a matching module once and serves its objects as folder items', async () => {
    const { url, sha256: digest } = serveModule(MODULE('ok'));
    const rt = runtime();
    const library = await load(rt, url, digest);
    const item = await requestItem(library, 'upper', { timeoutMs: 1000 });
    expect(item).toEqual({ kind: 'primitive', id: libraryItemId(digest, 'upper') });
    library.dispose();
    // An endpoint instance connects at most once: a second lookup needs a second proxy.
    const again = await load(rt, url, digest);
    await expect(requestItem(again, 'nothing', { timeoutMs: 1000 })).rejects.toThrow(
      /has no item named 'nothing'/,
    );
    again.dispose();

    const doc = upperOf(url, digest);
    const proxy = await rt.open(doc);
    expect(await roundTrip(proxy, 'hi')).toEqual(['HI']);
    proxy.dispose();
    await rt.open(doc).then((p) => p.dispose());
    expect(pingsOf('ok')).toHaveLength(1);
  });

  it('runs the example library through the example file (template retrieved from the library)', async () => {
    const code = readFileSync('assets/libraries/greetings.js', 'utf8');
    const { url, sha256 } = server.add('/greetings.js', code);
    const text = readFileSync('assets/objects/library-echo.liveobject', 'utf8');
    const example = /<value type="string">(http[^<]*)<\/value>/.exec(text)?.[1];
    expect(example).toBe('http://127.0.0.1:8080/greetings.js');
    expect(text).toContain(sha256);
    const proxy = await runtime().open(parseLiveObject(text.replace(example ?? '', url)));
    expect(await roundTrip(proxy, 'hi')).toEqual(['echo: hi']);
    proxy.dispose();
  });

  it('refuses unsupported URL schemes and malformed digests', async () => {
    const rt = runtime();
    await expect(load(rt, 'ftp://example.com/lib.js', 'a'.repeat(64))).rejects.toThrow(
      /library ftp:\/\/example\.com\/lib\.js: refused: a library must be an https: URL/,
    );
    await expect(load(rt, 'https://example.com/lib.js', 'xyz')).rejects.toThrow(
      /sha256 must be 64 hex digits/,
    );
  });

  it('fetches nothing and runs nothing without consent, and says what to allow', async () => {
    const { url, sha256 } = serveModule(MODULE('no-consent'));
    const before = server.requests.length;
    for (const consent of [givenConsent({}), { decision: () => 'deny' as const }]) {
      const e: unknown = await load(runtime(consent), url, sha256).catch((x: unknown) => x);
      expect((e as Error).message).toMatch(
        new RegExp(`library ${url}: (needs your consent|blocked: you denied)`),
      );
      expect((e as Error).message).toContain(sha256);
    }
    // Consent for another digest of the same URL is not consent for this one.
    const other = {
      decision: (u: string, d: string) => (u === url && d === '1'.repeat(64) ? 'allow' : undefined),
    };
    await expect(load(runtime(other as LibraryConsent), url, sha256)).rejects.toThrow(/needs your consent/);
    await tick(50);
    expect(server.requests.slice(before)).toEqual([]);
  });

  it('answers file: probes the same whether the file exists or not, with no digest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-library-'));
    const existing = join(dir, 'lib.js');
    writeFileSync(existing, MODULE('file'));
    const realDigest = sha256Hex(readFileSync(existing));
    const messages: string[] = [];
    for (const url of [`file://${existing}`, `file://${join(dir, 'missing.js')}`, existing, 'lib.js']) {
      for (const digest of [realDigest, '0'.repeat(64)]) {
        const e: unknown = await load(runtime(), url, digest).catch((x: unknown) => x);
        const message = (e as Error).message;
        expect(message).not.toMatch(/[0-9a-f]{64}/);
        messages.push(message.replace(url, 'URL'));
      }
    }
    const others = ['data:text/javascript,export default {}', 'http://192.0.2.1/lib.js', 'javascript:1'];
    for (const url of others) {
      const e: unknown = await load(runtime(), url, realDigest).catch((x: unknown) => x);
      messages.push((e as Error).message.replace(url, 'URL'));
    }
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toMatch(/: library URL: refused: a library must be an https: URL/);
  });

  it('refuses a redirect to a URL the policy refuses, and follows one to an allowed URL', async () => {
    const { url: target, sha256 } = serveModule(MODULE('redirected'));
    const toFile = server.redirect('/to-file.js', 'file:///etc/passwd');
    const toLan = server.redirect('/to-lan.js', 'http://192.0.2.1/lib.js');
    for (const url of [toFile, toLan]) {
      await expect(load(runtime(), url, sha256)).rejects.toThrow(/refused a redirect: library .*: refused/);
    }
    const ok = server.redirect('/to-ok.js', target);
    const library = await load(runtime(), ok, sha256);
    library.dispose();
    expect(pingsOf('redirected')).toHaveLength(1);
  });

  it('refuses events a library object does not declare, and reports what its code throws', async () => {
    const errors: string[] = [];
    const rt = runtimeReporting(errors);
    const rogue = MODULE('rogue').replace(
      "channel.on('send', (text) => channel.send('receive', String(text).toUpperCase()));",
      "channel.on('send', (text) => { channel.send('evil', text); channel.send('receive', 42); throw new Error('handler failed'); });",
    );
    const { url, sha256 } = serveModule(rogue);
    const doc = upperOf(url, sha256);
    const proxy = await rt.open(doc);
    expect(await roundTrip(proxy, 'hi')).toEqual([]);
    await tick(50);
    proxy.dispose();
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(new RegExp(`^library ${url}: .*cannot send 'evil': not an outgoing event`));
    expect(errors[1]).toMatch(/receive.*String/);
    expect(errors[2]).toBe(`library ${url}: handler failed`);
  });

  it('disposes the instances of a library whose process ends, and starts it again on the next open', async () => {
    const errors: string[] = [];
    const rt = runtimeReporting(errors);
    const dying = MODULE('dying').replace(
      "channel.on('send', (text) =>",
      "channel.on('send', (text) => text === 'exit' ? process.exit(3) :",
    );
    const { url, sha256 } = serveModule(dying);
    const doc = upperOf(url, sha256);
    const first = await rt.open(doc);
    const client = new LocalProxy('client', STRING_CLIENT);
    let disconnected = false;
    client.portal('channel').onDisconnect(() => (disconnected = true));
    client.endpoint('channel').connect(first.endpoint('channel'));
    client.portal('channel').send('send', 'exit');
    for (let i = 0; i < 200 && !first.disposed; i++) await tick(10);
    expect(first.disposed).toBe(true);
    expect(disconnected).toBe(true);
    const second = await rt.open(doc);
    expect(await roundTrip(second, 'again')).toEqual(['AGAIN']);
    second.dispose();
    expect(pingsOf('dying')).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('runs the module in a process without file system access or environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-library-'));
    const marker = join(dir, 'marker');
    const probe = `
import { writeFileSync } from 'node:fs';
let wrote = 'yes';
try { writeFileSync(${JSON.stringify(marker)}, 'ran'); } catch (e) { wrote = e.code; }
await fetch(${JSON.stringify(`${server.origin}/ran?isolated`)} + '&write=' + wrote + '&env=' + Object.keys(process.env).filter((k) => k !== 'ELECTRON_RUN_AS_NODE').length + '&pid=' + (process.pid === ${process.pid}));
`;
    const { url, sha256 } = serveModule(MODULE('isolated-module', probe));
    const library = await load(runtime(), url, sha256);
    library.dispose();
    await tick(50);
    expect(server.pings().filter((p) => p.startsWith('/ran?isolated&'))).toEqual([
      '/ran?isolated&write=ERR_ACCESS_DENIED&env=0&pid=false',
    ]);
    expect(existsSync(marker)).toBe(false);
  });
});
