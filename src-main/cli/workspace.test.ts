// `liveobjects invite` and `liveobjects join` as users type them (real processes, real files):
// the two command lines, with a temporary home directory standing in for `~`; and the
// `--workspace` option of the headless commands.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readInvitation } from '../../src-shared/workspace/invitation';
import { ROOT, runCli, spawnCli } from '../../testing/liveobjects';
import { runCommand } from '../../testing/processes';
import type { ManagedProcess } from '../../testing/processes';
import { DEFAULT_RENDERER_DIR } from '../shell/web';
import { ensureRenderer } from '../shell/web/renderer-build';
import { newWorkspace, packetKey, readWorkspace, writeWorkspace } from '../host/workspace';
import { invitationTo } from '../host/test-helpers';
import { parseGmsArgs } from './commands/gms';
import { parseNodeArgs } from './commands/node';

/** A user's machine: a home directory of its own (`~`). */
const userHome = (): string => mkdtempSync(join(tmpdir(), 'liveobjects-user-'));

/** Runs `command` in a shell, as its user types it (`~` is `home`), from the checkout, where
 * `npx liveobjects` finds this package's command; `--no`: npx never asks a registry. */
function typed(command: string, home: string) {
  return runCommand('sh', ['-c', command], {
    cwd: ROOT,
    env: { ...process.env, HOME: home },
    timeoutMs: 60_000,
  });
}

let host: ManagedProcess | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

beforeAll(async () => {
  // `liveobjects serve` needs the renderer; `npm test` builds it before the unit stage.
  await ensureRenderer({ rendererDir: DEFAULT_RENDERER_DIR, log: (line) => console.log(line) });
}, 300_000);

describe('liveobjects invite and join', () => {
  it("the issue's commands: a member invites while her host runs, a colleague joins", async () => {
    const alice = userHome();
    const bob = userHome();
    host = spawnCli(
      'liveobjects serve (alice)',
      ['serve', '--port', '0', '--home', join(alice, 'lo'), '--name', 'Alice'],
      {
        env: { ...process.env, LIVEOBJECTS_MDNS_PORT: '1' },
      },
    );
    await host.waitForLine(/^Live Objects at http/, 60_000);
    await host.waitForLine(/workspace: created "Alice's workspace"/, 1000);
    const workspace = readWorkspace(join(alice, 'lo'));
    expect(workspace?.name).toBe("Alice's workspace");

    const team = join(bob, 'team.liveobject');
    const invite = await typed(`npx --no liveobjects invite --home ~/lo > ${team}`, alice);
    expect(invite.code, invite.stderr).toBe(0);
    expect(invite.stderr).toContain('makes whoever has it a member of "Alice\'s workspace"');
    expect(invite.stderr).toContain('privately');
    const invitation = readInvitation(readFileSync(team, 'utf8'), team);
    expect(invitation).toEqual(workspace);

    const joined = await typed(`npx --no liveobjects join ${team} --home ~/lo`, bob);
    expect(joined.code, joined.stderr).toBe(0);
    expect(joined.stdout).toContain(`joined "Alice's workspace"`);
    expect(readWorkspace(join(bob, 'lo'))).toEqual(workspace);
    expect(statSync(join(bob, 'lo', 'workspace.json')).mode & 0o777).toBe(0o600);

    // Again: nothing to do.
    const again = await runCli('join', team, '--home', join(bob, 'lo'));
    expect(again.stdout).toContain('is already a member of "Alice\'s workspace"');

    // Alice's own host runs on her home: joining another workspace there says to restart it.
    const other = join(alice, 'other.liveobject');
    writeFileSync(other, invitationTo(newWorkspace('other team')));
    const moved = await runCli('join', other, '--home', join(alice, 'lo'));
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toContain('It left "Alice\'s workspace"');
    expect(moved.stdout).toMatch(
      new RegExp(`The app is running on this home \\(process ${host.pid}: .*\\): quit it and start it again`),
    );
  }, 120_000);

  it('invite on a home without a workspace is an error that says how to get one', async () => {
    const home = userHome();
    const r = await runCli('invite', '--home', home);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${home} has no workspace yet`);
    expect(r.stderr).toContain('liveobjects join INVITATION --home DIR');
  });

  it("join replaces another workspace and says so; the home's saved state stays", async () => {
    const home = userHome();
    const mine = newWorkspace('my own');
    writeWorkspace(home, mine);
    writeFileSync(join(home, 'state-marker'), 'kept');
    const file = join(home, 'team.liveobject');
    const team = newWorkspace('the team');
    writeFileSync(file, invitationTo(team));
    const r = await runCli('join', file, '--home', home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('joined "the team"');
    expect(r.stdout).toContain('It left "my own"');
    // No host runs on the home: nothing to restart.
    expect(r.stdout).not.toContain('quit it and start it again');
    expect(readWorkspace(home)).toEqual(team);
    expect(readFileSync(join(home, 'state-marker'), 'utf8')).toBe('kept');
  });

  it('join refuses a file that is no invitation, or one without a valid key, and changes nothing', async () => {
    const home = userHome();
    const before = newWorkspace('before');
    writeWorkspace(home, before);
    const invitation = invitationTo(newWorkspace('team'));
    const cases: [string, string, RegExp][] = [
      ['no-key', invitation.replace(/\s*<param name="key">.*?<\/param>/s, ''), /has no 'key'/],
      [
        'short-key',
        invitation.replace(/(<param name="key">\s*<value type="bytes">)[^<]*/, '$1AAAA'),
        /32 bytes, not 3/,
      ],
      [
        'bad-base64',
        invitation.replace(/(<param name="key">\s*<value type="bytes">)[^<]*/, '$1%%%'),
        /base64/i,
      ],
      [
        'a-note',
        readFileSync(join(ROOT, 'assets/objects/qsm-channel.liveobject'), 'utf8'),
        /not the workspace object/,
      ],
    ];
    for (const [name, text, why] of cases) {
      const file = join(home, `${name}.liveobject`);
      writeFileSync(file, text);
      const r = await runCli('join', file, '--home', home);
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toContain(`liveobjects join: ${file} is not a valid invitation`);
      expect(r.stderr, name).toMatch(why);
    }
    const missing = await runCli('join', join(home, 'nowhere.liveobject'), '--home', home);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read the invitation');
    expect(readWorkspace(home)).toEqual(before);
  });
});

describe('--workspace of the headless commands', () => {
  it('takes an invitation file or a joined home; the same key either way', () => {
    const home = userHome();
    const workspace = newWorkspace('bench');
    writeWorkspace(home, workspace);
    const file = join(home, 'bench.liveobject');
    writeFileSync(file, invitationTo(workspace));
    const key = packetKey(workspace);
    const lan = ['--gms', '10.1.2.3:7070', '--bind', '10.1.2.4'];
    expect(parseNodeArgs([...lan, '--workspace', file]).tun.packetKey).toEqual(key);
    expect(parseNodeArgs([...lan, '--workspace', home]).tun.packetKey).toEqual(key);
    expect(
      parseGmsArgs(['--listen', '10.1.2.3:7070', '--workspace', 'bench.liveobject'], home).packetKey,
    ).toEqual(key);
  });

  it('is required off loopback, and optional (unauthenticated) on it', () => {
    expect(() => parseNodeArgs(['--gms', '10.1.2.3:7070', '--bind', '10.1.2.4'])).toThrow(
      /--gms 10\.1\.2\.3 is not loopback: traffic that crosses a network must be authenticated, so give --workspace PATH/,
    );
    expect(() => parseNodeArgs(['--gms', '127.0.0.1:7070', '--bind', '10.1.2.4'])).toThrow(
      /--bind 10\.1\.2\.4 is not loopback/,
    );
    expect(() => parseGmsArgs(['--listen', '0.0.0.0:7070'])).toThrow(/--listen 0\.0\.0\.0 is not loopback/);
    expect(parseNodeArgs(['--gms', '127.0.0.1:7070']).tun.packetKey).toBeUndefined();
    expect(parseGmsArgs(['--listen', '127.0.0.1:0']).packetKey).toBeUndefined();
  });

  it('names what is wrong with the path, as a usage error (exit 2)', async () => {
    const empty = userHome();
    const r = await runCli('gms', '--listen', '127.0.0.1:0', '--workspace', empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--workspace: ${empty} has no workspace`);
    const none = await runCli(
      'node',
      '--gms',
      '127.0.0.1:1',
      '--workspace',
      join(empty, 'nothing.liveobject'),
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--workspace: no such invitation file or home directory');
  });
});
