import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLiveObject } from '../../src-shared/format';
import type { Reference } from '../../src-shared/format/document';
import { requestItem } from '../runtime/folder';
import { LocalProxy } from '../runtime/proxy';
import { Runtime } from '../runtime/runtime';
import { STRING_CLIENT } from '../runtime/test-objects';
import { builtinCatalogue } from './builtins';
import { libraryItemId, sha256Hex } from './library';

const NS = 'xmlns="urn:liveobjects:1" version="1"';
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

const MODULE = (marker: string) => `
globalThis[${JSON.stringify(marker)}] = (globalThis[${JSON.stringify(marker)}] ?? 0) + 1;
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

function writeModule(text: string): { path: string; digest: string } {
  const path = join(mkdtempSync(join(tmpdir(), 'lo-library-')), 'lib.js');
  writeFileSync(path, text);
  return { path, digest: sha256Hex(readFileSync(path)) };
}

const libraryRef = (url: string, sha256: string) => `<parameterized>
      <template><primitive id="liveobjects.library"/></template>
      <param name="url"><value type="string">${url}</value></param>
      <param name="sha256"><value type="string">${sha256}</value></param>
    </parameterized>`;

const runtime = () => new Runtime({ catalogue: builtinCatalogue(), resolveTimeoutMs: 5000 });

async function roundTrip(
  proxy: { endpoint(name: string): import('../runtime/endpoint').ExternalEndpoint },
  text: string,
) {
  const client = new LocalProxy('client', STRING_CLIENT);
  const got: unknown[] = [];
  client.portal('channel').on('receive', (m) => got.push(m));
  client.endpoint('channel').connect(proxy.endpoint('channel'));
  client.portal('channel').send('send', text);
  await tick();
  return got;
}

describe('liveobjects.library', () => {
  it('refuses a module whose digest does not match, without executing it', async () => {
    const marker = `__lo_test_${Date.now()}_mismatch`;
    const { path, digest } = writeModule(MODULE(marker));
    const wrong = '0'.repeat(64);
    const doc = parseLiveObject(`<liveobject ${NS}>${libraryRef(path, wrong)}</liveobject>`);
    const e: unknown = await runtime()
      .open(doc)
      .catch((x: unknown) => x);
    expect((e as Error).message).toContain(
      `SHA-256 mismatch: expected ${wrong}, actual ${digest}; the module was not loaded`,
    );
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
  });

  it('loads a matching module once and serves its objects as folder items', async () => {
    const marker = `__lo_test_${Date.now()}_ok`;
    const { path, digest } = writeModule(MODULE(marker));
    const rt = runtime();
    const url = pathToFileURL(path).href;
    const open = () =>
      rt.dereference(parseLiveObject(`<liveobject ${NS}>${libraryRef(url, digest)}</liveobject>`).reference);
    const library = await open();
    const item = await requestItem(library, 'upper', { timeoutMs: 1000 });
    expect(item).toEqual({ kind: 'primitive', id: libraryItemId(digest, 'upper') });
    library.dispose();
    // An endpoint instance connects at most once: a second lookup needs a second proxy.
    const again = await open();
    await expect(requestItem(again, 'nothing', { timeoutMs: 1000 })).rejects.toThrow(
      /has no item named 'nothing'/,
    );
    again.dispose();

    const doc = parseLiveObject(
      `<liveobject ${NS}><external name="upper" as="Channel&lt;String&gt;"><from>${libraryRef(path, digest)}</from></external></liveobject>`,
    );
    const proxy = await rt.open(doc);
    expect(await roundTrip(proxy, 'hi')).toEqual(['HI']);
    proxy.dispose();
    await rt.open(doc).then((p) => p.dispose());
    expect((globalThis as Record<string, unknown>)[marker]).toBe(1);
  });

  it('runs the example library through the example file (template retrieved from the library)', async () => {
    const text = readFileSync('assets/objects/library-echo.liveobject', 'utf8');
    const proxy = await runtime().open(parseLiveObject(text));
    expect(await roundTrip(proxy, 'hi')).toEqual(['echo: hi']);
    proxy.dispose();
  });

  it('refuses unsupported URL schemes and malformed digests', async () => {
    const rt = runtime();
    const load = (url: string, sha: string) =>
      rt.dereference(
        parseLiveObject(`<liveobject ${NS}>${libraryRef(url, sha)}</liveobject>`).reference as Reference,
      );
    await expect(load('ftp://example.com/lib.js', 'a'.repeat(64))).rejects.toThrow(
      /unsupported URL scheme 'ftp:'/,
    );
    await expect(load('lib.js', 'xyz')).rejects.toThrow(/sha256 must be 64 hex digits/);
  });
});
