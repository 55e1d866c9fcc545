// Hosts on a NATS platform only (`--platform nats://…`), against a real `nats-server -js`: a note
// minted on a LAN-style reference (naming QuickSilver) is shared through NATS, presence names the
// colleague, the connection area says connected, and a host that opens the note while nobody else
// runs gets its text from the server's history. Skipped with the reason where nats-server is
// missing (CI installs it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkStatus, isNatsStatus } from '../../src-shared/bridge/network';
import type { NatsNetworkStatus } from '../../src-shared/bridge/network';
import { NatsServer, whyNoNatsServer } from '../../testing/nats';
import { waitFor } from '../../testing/wait';
import { createHost } from './host';
import type { Host } from './host';
import { FAST, Recorder, tempHome } from './test-helpers';

const noServer = whyNoNatsServer();

describe('hosts on a NATS platform', () => {
  let server: NatsServer | undefined;
  const hosts: Host[] = [];
  beforeAll(async () => {
    if (noServer) console.log(`NATS host tests skipped: ${noServer}`);
    else server = await NatsServer.start();
  });
  afterAll(async () => {
    for (const h of hosts.splice(0)) await h.close();
    await server?.dispose();
  });
  const start = async (userName: string): Promise<Host> => {
    const h = await createHost({
      shell: 'web',
      home: tempHome(),
      userName,
      platform: [server!.url],
      ...FAST,
    });
    hosts.push(h);
    return h;
  };

  /** The connection area's status of a session's host, which must be on NATS. */
  const statusOf = async (r: Recorder): Promise<NatsNetworkStatus> => {
    const status = NetworkStatus.parse(await r.session.call('network', {}));
    if (!isNatsStatus(status)) throw new Error(`not a NATS status: ${JSON.stringify(status)}`);
    return status;
  };

  it('share a note, see each other, and a later host gets the text from history', async ({ skip }) => {
    skip(noServer !== undefined, noServer);
    const ra = new Recorder((await start('Alice')).openSession('web'));
    const rb = new Recorder((await start('Bob')).openSession('web'));
    for (const r of [ra, rb]) {
      await waitFor('connected', async () => (await statusOf(r)).platform.state === 'connected');
    }
    const note = await ra.session.call('create', { template: 'note' });
    expect(note.reference).toContain('<external name="QuickSilver"');
    await ra.type(note.handle, 0, 'over NATS');
    const nb = await rb.session.call('open', { xml: note.reference });
    await waitFor('Bob has the text', () => rb.text(nb.handle) === 'over NATS');
    await rb.type(nb.handle, 9, ', both ways');
    await waitFor('Alice has his edit', () => ra.text(note.handle) === 'over NATS, both ways');
    await waitFor('Alice sees Bob by name', async () =>
      (await statusOf(ra)).peers.some((p) => p.name === 'Bob'),
    );
    await waitFor('Bob sees Alice by name', async () =>
      (await statusOf(rb)).peers.some((p) => p.name === 'Alice'),
    );
    for (const h of hosts.splice(0)) await h.close();

    const carol = await start('Carol');
    const rc = new Recorder(carol.openSession('web'));
    const nc = await rc.session.call('open', { xml: note.reference });
    await waitFor('Carol has the text from history', () => rc.text(nc.handle) === 'over NATS, both ways', {
      timeout: 15_000,
    });
  }, 60_000);
});
