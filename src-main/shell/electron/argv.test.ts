import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../args/options';
import { readAppArgs } from './argv';

describe('electron shell: its own arguments', () => {
  it('takes the host options serve takes, among Chromium switches, and existing files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-app-argv-'));
    writeFileSync(join(dir, 'a.liveobject'), '<x/>');
    // As Electron passes it in development: the app path, Chromium switches, ours, files.
    const argv = (
      '. --no-sandbox --home bob --name=Bob --gms 10.0.0.1:7070 --enable-logging=stderr ' +
      'a.liveobject missing.liveobject'
    ).split(' ');
    expect(readAppArgs(argv, dir)).toEqual({
      files: [join(dir, 'a.liveobject')],
      host: { gms: { host: '10.0.0.1', port: 7070 }, home: join(dir, 'bob'), name: 'Bob' },
    });
    expect(readAppArgs(['.'], dir)).toEqual({ files: [], host: {} });
    expect(readAppArgs(['.', '--interface', 'eth0'], dir).host).toEqual({ interface: 'eth0' });
    // `npm start -- --platform …` means what it means to `liveobjects serve`.
    expect(readAppArgs(['.', '--platform', 'nats://hub.example:4222'], dir).host).toEqual({
      platform: ['nats://hub.example:4222'],
    });
    expect(readAppArgs(['.', '--bridge', 'nats://hub.example'], dir).host).toEqual({
      bridge: ['nats://hub.example:4222'],
    });
  });

  it('refuses a bad value of its own options', () => {
    expect(() => readAppArgs(['.', '--gms', 'nowhere'], '/')).toThrow(UsageError);
    expect(() => readAppArgs(['.', '--platform', 'http://hub'], '/')).toThrow(
      "--platform expects nats:// or tls:// URLs, not http://, got 'http://hub'",
    );
    expect(() => readAppArgs(['.', '--home'], '/')).toThrow('--home needs a value');
  });
});
