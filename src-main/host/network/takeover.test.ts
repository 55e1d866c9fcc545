// The host serving the membership service crashes: a real `liveobjects serve` child process,
// SIGKILLed. The other hosts (in this process) agree on the successor, keep editing a shared
// note with its state, and a host started afterwards finds the new service by DNS-SD. All on
// loopback addresses with a private mDNS port.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MembershipService } from '../../../src-shared/bridge/network';
import { DEFAULT_RENDERER_DIR } from '../../shell/web';
import { ensureRenderer } from '../../shell/web/renderer-build';
import { createHost } from '../host';
import type { Host } from '../host';
import { FAST, Recorder, tempHome } from '../test-helpers';
import { freeUdpPort, loopbackAddresses } from './testing/loopback';
import { spawnCli } from '../../../testing/liveobjects';
import type { ManagedProcess } from '../../../testing/processes';
import { waitFor } from '../../../testing/wait';

const hosts: Host[] = [];
let served: ManagedProcess | undefined;

beforeAll(async () => {
  // `liveobjects serve` needs the renderer; `npm test` builds it before the unit stage.
  await ensureRenderer({ rendererDir: DEFAULT_RENDERER_DIR, log: (line) => console.log(line) });
}, 300_000);

afterAll(async () => {
  await served?.kill();
  for (const h of hosts.splice(0).reverse()) await h.close();
});

const status = (h: Host): MembershipService => h.network.membership.status();

describe('takeover after a crash', () => {
  it('the serving host is SIGKILLed: the others take over, keep editing, a later host joins', async () => {
    const mdnsPort = await freeUdpPort();
    const addresses = loopbackAddresses(4);
    const start = async (i: number, name: string): Promise<Host> => {
      const h = await createHost({
        shell: 'web',
        home: tempHome(),
        userName: name,
        interface: addresses[i]!,
        network: { mdnsPort },
        ...FAST,
      });
      hosts.push(h);
      return h;
    };
    const home = mkdtempSync(join(tmpdir(), 'liveobjects-takeover-'));
    served = spawnCli(
      'liveobjects serve (alice)',
      ['serve', '--port', '0', '--interface', addresses[0]!, '--home', home, '--name', 'Alice'],
      { env: { ...process.env, LIVEOBJECTS_MDNS_PORT: String(mdnsPort) } },
    );
    await served.waitForLine(/^Live Objects at http/, 60_000);
    await served.waitForLine(/membership: none answered; serving/, 10_000);

    const b = await start(1, 'bob');
    const c = await start(2, 'carol');
    const gms = `${addresses[0]}:7070`;
    for (const h of [b, c])
      expect(status(h)).toMatchObject({ address: gms, foundBy: 'dns-sd', servedHere: false });
    await waitFor('three hosts in the hosts view', () => [b, c].every((h) => h.network.hosts().length === 3));
    const rb = new Recorder(b.openSession('web'));
    const rc = new Recorder(c.openSession('web'));
    const nb = await rb.session.call('create', { template: 'note' });
    await rb.type(nb.handle, 0, 'before the crash;');
    const nc = await rc.session.call('open', { xml: nb.reference });
    await waitFor('carol has the text', () => rc.text(nc.handle) === 'before the crash;');

    const successor = [b, c].sort((x, y) => (x.nodeId < y.nodeId ? -1 : 1))[0]!;
    const killedAt = Date.now();
    await served.kill();
    // Typed while the membership service is gone: delivered once the successor installs views.
    await rb.type(nb.handle, 17, ' during;');
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
      () => rc.text(nc.handle) === 'before the crash; during;',
    );
    await rc.type(nc.handle, 25, ' after it');
    await waitFor('bob sees carol’s edit', () => rb.text(nb.handle) === 'before the crash; during; after it');
    const edited = Date.now() - killedAt;
    console.log(
      `takeover after SIGKILL: both connected to the successor after ${gap} ms; an edit arrived ${edited} ms after the kill`,
    );
    expect(status(successor)).toMatchObject({ foundBy: 'took-over', servedHere: true });
    expect(gap).toBeLessThan(6_000);

    const d = await start(3, 'dave');
    expect(status(d)).toMatchObject({ address: status(successor).address, foundBy: 'dns-sd' });
    const rd = new Recorder(d.openSession('web'));
    const nd = await rd.session.call('open', { xml: nb.reference });
    await waitFor('dave gets the state', () => rd.text(nd.handle) === 'before the crash; during; after it');
    expect([...rb.errors(), ...rc.errors(), ...rd.errors()]).toEqual([]);
  }, 120_000);
});
