import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLiveObject } from '../../src-shared/format';
import { NAME, folderType } from '../../src-shared/model/catalogue';
import { DereferenceError } from '../runtime/errors';
import { Runtime } from '../runtime/runtime';
import { STRING_CHANNEL, echoEntry } from '../runtime/test-objects';
import { builtinCatalogue } from './builtins';
import { MemoryFolder } from './memory-folder';
import { defaultRegistryPath, loadRegistry } from './registry';

const NS = 'xmlns="urn:liveobjects:1" version="1"';
const tempDir = () => mkdtempSync(join(tmpdir(), 'lo-registry-'));

function runtimeWith(registryPath: string) {
  const catalogue = builtinCatalogue({ registry: { path: registryPath } });
  catalogue.register(echoEntry);
  const platform = new MemoryFolder({ type: folderType(NAME, STRING_CHANNEL) });
  platform.set('chat', { kind: 'primitive', id: 'test.echo' });
  catalogue.register(platform.entry('test.platform'));
  return new Runtime({ catalogue, resolveTimeoutMs: 2000 });
}

const INDIRECT = `<liveobject ${NS}>
  <external name="chat" as="Channel&lt;String&gt;">
    <from>
      <external name="QuickSilver" as="Folder&lt;Name, Channel&lt;String&gt;&gt;">
        <from><primitive id="liveobjects.registry"/></from>
      </external>
    </from>
  </external>
</liveobject>`;

describe('liveobjects.registry', () => {
  it('finds its file from LIVEOBJECTS_REGISTRY, LIVEOBJECTS_HOME or ~/.config/liveobjects', () => {
    expect(defaultRegistryPath({ LIVEOBJECTS_REGISTRY: '/etc/lo.json' })).toBe('/etc/lo.json');
    expect(defaultRegistryPath({ LIVEOBJECTS_HOME: '/opt/lo' })).toBe('/opt/lo/registry.json');
    expect(defaultRegistryPath({})).toMatch(/\.config\/liveobjects\/registry\.json$/);
  });

  it('a missing file means the defaults: QuickSilver → qsm.platform at 127.0.0.1:7070', () => {
    const entries = loadRegistry(join(tempDir(), 'none.json'));
    expect(entries.get('QuickSilver')).toMatchObject({
      kind: 'parameterized',
      template: { kind: 'primitive', id: 'qsm.platform' },
      params: [
        {
          name: 'gms',
          value: { kind: 'value', value: { type: 'address', value: { host: '127.0.0.1', port: 7070 } } },
        },
      ],
    });
  });

  it('resolves the spec example through the registry down to the platform, which reports an unreachable GMS', async () => {
    // Port 1 on loopback: nothing listens there, so the platform must say so clearly.
    const dir = tempDir();
    const path = join(dir, 'registry.json');
    const platform = `<liveobject ${NS}><parameterized><template><primitive id="qsm.platform"/></template><param name="gms"><value type="address">127.0.0.1:1</value></param></parameterized></liveobject>`;
    writeFileSync(path, JSON.stringify({ version: 1, entries: { QuickSilver: platform } }));
    const runtime = runtimeWith(path);
    const note = parseLiveObject(
      `<liveobject ${NS}><external name="note-7f3a9c" as="Channel&lt;Bytes&gt;"><from>
        <external name="QuickSilver" as="Folder&lt;Name, Channel&lt;Bytes&gt;&gt;"><from><primitive id="liveobjects.registry"/></from></external>
      </from></external></liveobject>`,
    );
    await expect(runtime.open(note)).rejects.toThrow(/cannot reach the membership service at 127\.0\.0\.1:1/);
  });

  it('resolves registry indirection through configured entries (inline XML and file paths)', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'platform.liveobject'),
      `<liveobject ${NS}><primitive id="test.platform"/></liveobject>`,
    );
    const inline = join(dir, 'inline.json');
    writeFileSync(
      inline,
      JSON.stringify({
        version: 1,
        entries: { QuickSilver: `<liveobject ${NS}><primitive id="test.platform"/></liveobject>` },
      }),
    );
    const byPath = join(dir, 'by-path.json');
    writeFileSync(byPath, JSON.stringify({ entries: { QuickSilver: 'platform.liveobject' } }));
    for (const path of [inline, byPath]) {
      const proxy = await runtimeWith(path).open(parseLiveObject(INDIRECT));
      expect(proxy.label).toBe('test.echo');
      proxy.dispose();
    }
  });

  it.each([
    ['{ not json', /is not valid JSON/],
    ['[]', /expected a JSON object/],
    ['{"entries": 3}', /expected "entries" to be an object/],
    ['{"version": 2, "entries": {}}', /unsupported "version" 2; expected 1/],
    ['{"entries": {}, "extra": 1}', /unknown key\(s\) "extra"/],
    ['{"entries": {"A": 5}}', /entry "A": expected a string/],
    [
      '{"entries": {"A": "<liveobject xmlns=\\"urn:wrong\\" version=\\"1\\"><primitive id=\\"a.b\\"/></liveobject>"}}',
      /entry "A": entry "A":1:\d+: expected xmlns/,
    ],
    ['{"entries": {"A": "missing.liveobject"}}', /entry "A": cannot read .*missing\.liveobject/],
  ])('reports a malformed registry file with its path: %s', async (text, pattern) => {
    const path = join(tempDir(), 'registry.json');
    writeFileSync(path, text);
    const runtime = runtimeWith(path);
    const e: unknown = await runtime.open(parseLiveObject(INDIRECT)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DereferenceError);
    expect((e as Error).message).toContain(`registry ${path}: `);
    expect((e as Error).message).toMatch(pattern);
  });
});
