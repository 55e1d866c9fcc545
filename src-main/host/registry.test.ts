import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLiveObject } from '../../src-shared/format';
import { builtinCatalogue } from '../objects/builtins';
import { Runtime } from '../runtime/runtime';
import { configuredNetwork } from './registry';

const NS = 'xmlns="urn:liveobjects:1" version="1"';

function registry(platform?: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lo-host-registry-')), 'registry.json');
  if (platform !== undefined)
    writeFileSync(path, JSON.stringify({ version: 1, entries: { QuickSilver: platform } }));
  return path;
}

function platform(gms: string, iface?: string): string {
  return (
    `<liveobject ${NS}><parameterized><template><primitive id="qsm.platform"/></template>` +
    `<param name="gms"><value type="address">${gms}</value></param>` +
    (iface === undefined ? '' : `<param name="interface"><value type="string">${iface}</value></param>`) +
    '</parameterized></liveobject>'
  );
}

describe('configuredNetwork', () => {
  it('without a registry file: nothing configured (find or serve the service)', () => {
    expect(configuredNetwork(registry())).toEqual({});
  });

  it('a QuickSilver platform naming a membership service configures it', () => {
    expect(configuredNetwork(registry(platform('10.0.0.5:7070')))).toEqual({
      gms: { host: '10.0.0.5', port: 7070 },
    });
  });

  it('the built-in 127.0.0.1:7070 still means "find or serve"; an interface may be configured with it', () => {
    expect(configuredNetwork(registry(platform('127.0.0.1:7070')))).toEqual({});
    expect(configuredNetwork(registry(platform('127.0.0.1:7070', 'eth0')))).toEqual({ interface: 'eth0' });
    expect(configuredNetwork(registry(platform('10.0.0.5:7071', '10.0.0.6')))).toEqual({
      gms: { host: '10.0.0.5', port: 7071 },
      interface: '10.0.0.6',
    });
  });

  it('a platform with an interface is still a valid qsm.platform for the runtime', async () => {
    const runtime = new Runtime({ catalogue: builtinCatalogue({ registry: { path: registry() } }) });
    const proxy = await runtime.dereference(parseLiveObject(platform('127.0.0.1:7070', 'eth0')).reference);
    expect(proxy.label).toContain('qsm.platform');
    proxy.dispose();
  });
});
