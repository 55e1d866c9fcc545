// The host serving the membership service crashes: a real `liveobjects serve` child process,
// SIGKILLed. The other hosts (in this process) agree on the successor, keep editing a shared
// note with its state, and a host started afterwards finds the new service by DNS-SD. All on
// loopback addresses with a private mDNS port.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RENDERER_DIR } from '../../shell/web';
import { ensureRenderer } from '../../shell/web/renderer-build';
import { lateJoinerGets, shareNote, lanNetwork, status, useLan } from './testing/lan';
import type { NoteView } from './testing/lan';
import { CLI, ROOT, spawnCli } from '../../../testing/liveobjects';
import { runCommand } from '../../../testing/processes';
import type { ManagedProcess } from '../../../testing/processes';
import { waitFor } from '../../../testing/wait';

const lan = useLan();
let served: ManagedProcess | undefined;

beforeAll(async () => {
  // `liveobjects serve` needs the renderer; `npm test` builds it before the unit stage.
  await ensureRenderer({ rendererDir: DEFAULT_RENDERER_DIR, log: (line) => console.log(line) });
}, 300_000);

afterEach(async () => {
  await served?.kill();
});

describe('takeover after a crash', () => {
  it('the serving host is SIGKILLed: the others take over, keep editing, a later host joins', async () => {
    const net = await lan();
    const home = mkdtempSync(join(tmpdir(), 'liveobjects-takeover-'));
    served = spawnCli(
      'liveobjects serve (alice)',
      ['serve', '--port', '0', '--interface', net.addresses[0]!, '--home', home, '--name', 'Alice'],
      { env: { ...process.env, LIVEOBJECTS_MDNS_PORT: String(net.mdnsPort) } },
    );
    await served.waitForLine(/^Live Objects at http/, 60_000);
    await served.waitForLine(/membership: none answered; serving/, 10_000);
    // Alice's host made the workspace; her colleagues join it with her invitation.
    const invite = await runCommand(process.execPath, [CLI, 'invite', '--home', home], { cwd: ROOT });
    expect(invite.code, invite.stderr).toBe(0);
    net.invitedBy(invite.stdout);

    const b = await net.start(1, 'bob');
    const c = await net.start(2, 'carol');
    const gms = `${net.addresses[0]}:7070`;
    for (const h of [b, c])
      expect(status(h)).toMatchObject({ address: gms, foundBy: 'dns-sd', servedHere: false });
    await waitFor('three hosts in the hosts view', () =>
      [b, c].every((h) => lanNetwork(h).hosts().length === 3),
    );
    const note = await shareNote('before the crash;', b, c);
    const [{ recorder: rb, handle: nb }, { recorder: rc, handle: nc }] = note.views as [NoteView, NoteView];

    const successor = [b, c].sort((x, y) => (x.nodeId < y.nodeId ? -1 : 1))[0]!;
    const killedAt = Date.now();
    await served.kill();
    // Typed while the membership service is gone: delivered once the successor installs views.
    await rb.type(nb, 17, ' during;');
    await waitFor(
      'both on the successor',
      () =>
        [b, c].every(
          (h) => status(h).state === 'connected' && status(h).address === status(successor).address,
        ) && status(successor).servedHere,
      { timeout: 20_000 },
    );
    const gap = Date.now() - killedAt;
    await waitFor(
      'carol sees the edit made during the gap',
      () => rc.text(nc) === 'before the crash; during;',
    );
    await rc.type(nc, 25, ' after it');
    await waitFor('bob sees carol’s edit', () => rb.text(nb) === 'before the crash; during; after it');
    const edited = Date.now() - killedAt;
    console.log(
      `takeover after SIGKILL: both connected to the successor after ${gap} ms; an edit arrived ${edited} ms after the kill`,
    );
    expect(status(successor)).toMatchObject({ foundBy: 'took-over', servedHere: true });
    expect(gap).toBeLessThan(6_000);

    const dave = await lateJoinerGets(net, successor, note.reference, 'before the crash; during; after it');
    expect([...rb.errors(), ...rc.errors(), ...dave.recorder.errors()]).toEqual([]);
  }, 120_000);
});
