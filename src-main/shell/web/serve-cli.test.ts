import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../../../testing/liveobjects';
import { parseServeArgs } from '../../cli/commands/serve';
import { DEFAULT_RENDERER_DIR } from '.';
import { ensureRenderer } from './renderer-build';

describe('liveobjects serve', () => {
  it('prints its usage on --help', async () => {
    const r = await runCli('serve', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: liveobjects serve [FILE] [options]');
    for (const option of [
      '--port N',
      '--gms HOST:PORT',
      '--interface NAME|ADDRESS',
      '--home DIR',
      '--name USER',
      '--open',
    ]) {
      expect(r.stdout).toContain(option);
    }
  });

  it('is listed by liveobjects help', async () => {
    const r = await runCli('help');
    expect(r.stdout).toMatch(/serve\s+serve the app to a browser/);
  });

  it('rejects bad arguments with exit code 2 before starting anything', async () => {
    const r = await runCli('serve', '--port', 'eighty');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--port expects a port 0-65535, got 'eighty'");
    expect(r.stdout).toBe('');
    const missing = await runCli('serve', 'no-such-file.liveobject');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file: no-such-file.liveobject');
  });

  it('parses FILE and options', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lo-serve-'));
    writeFileSync(join(dir, 'n.liveobject'), '<x/>');
    expect(parseServeArgs(['n.liveobject', '--port=8080', '--gms', '10.0.0.1:7070', '--open'], dir)).toEqual({
      file: join(dir, 'n.liveobject'),
      port: 8080,
      gms: { host: '10.0.0.1', port: 7070 },
      open: true,
    });
    expect(parseServeArgs(['--home', 'h', '--name', 'Ann'], dir)).toEqual({
      port: 0,
      open: false,
      home: join(dir, 'h'),
      name: 'Ann',
    });
    // `npm start -- --interface eth0` hands this to serve.
    expect(parseServeArgs(['--interface', 'eth0'], dir)).toEqual({ port: 0, open: false, interface: 'eth0' });
    expect(parseServeArgs(['--interface=192.168.1.20'], dir).interface).toBe('192.168.1.20');
    expect(() => parseServeArgs(['--gms', 'nowhere'], dir)).toThrow(/HOST:PORT/);
    expect(() => parseServeArgs(['--frobnicate'], dir)).toThrow(/unknown option/);
    expect(() => parseServeArgs(['a', 'b'], dir)).toThrow(/one FILE/);
  });

  it('takes --platform and --bridge as lists of NATS server URLs', () => {
    expect(parseServeArgs(['--platform', 'nats://hub.example:4222,tls://hub2'])).toEqual({
      port: 0,
      open: false,
      platform: ['nats://hub.example:4222', 'tls://hub2:4222'],
    });
    expect(parseServeArgs(['--bridge=nats://hub.example:4222']).bridge).toEqual(['nats://hub.example:4222']);
    expect(() => parseServeArgs(['--platform', 'nats://hub', '--interface', 'eth0'])).toThrow(
      /--platform runs this host on NATS only, so --interface does not apply/,
    );
  });

  it('documents --platform and --bridge, the bridge as not yet there', async () => {
    const r = await runCli('serve', '--help');
    expect(r.stdout).toContain('--platform URL[,URL…]');
    expect(r.stdout).toContain('--bridge URL[,URL…]');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('not yet: the bridge itself is future work');
  });

  it('refuses bad NATS URLs and --platform with LAN options: exit code 2, before starting anything', async () => {
    const scheme = await runCli('serve', '--platform', 'http://hub.example:4222');
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toContain(
      "--platform expects nats:// or tls:// URLs, not http://, got 'http://hub.example:4222'",
    );
    expect(scheme.stdout).toBe('');
    const secret = await runCli('serve', '--bridge', 'nats://dana:pw@hub.example:4222');
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain('--bridge expects URLs without a user name or password');
    const both = await runCli(
      'serve',
      '--platform',
      'nats://hub.example:4222',
      '--gms',
      '10.0.0.1:7070',
      '--bridge',
      'nats://x',
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(
      '--platform runs this host on NATS only, so --gms and --bridge do not apply: leave them out, or leave out --platform to run on the LAN',
    );
  });

  it('starts on the NATS platform with --platform: no LAN discovery, no membership service', async () => {
    // `liveobjects serve` needs the renderer; `npm test` builds it before the unit stage.
    await ensureRenderer({ rendererDir: DEFAULT_RENDERER_DIR, log: () => undefined });
    const home = mkdtempSync(join(tmpdir(), 'lo-serve-nats-'));
    const serve = spawnCli('serve --platform', [
      'serve',
      '--home',
      home,
      '--name',
      'Dana',
      '--platform',
      'nats://127.0.0.1:1',
    ]);
    try {
      await serve.waitForLine(/^Live Objects at http:\/\/127\.0\.0\.1:\d+\//, 60_000);
      expect(serve.stderr.join('\n')).toContain(
        'network: NATS platform at nats://127.0.0.1:1 (given with --platform); no LAN discovery or membership service',
      );
      expect(serve.stderr.filter((l) => /^(network: interface|membership:)/.test(l))).toEqual([]);
    } finally {
      await serve.stop();
    }
  }, 300_000);
});
