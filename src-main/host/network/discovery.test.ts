// DNS-SD on the loopback interface with a private mDNS port: nothing leaves this machine and
// no other test or program meets these services.
import { afterEach, describe, expect, it } from 'vitest';
import { Discovery, SERVICE_TYPE, instanceName } from './discovery';
import { freeUdpPort } from './testing/loopback';
import { waitFor } from '../../../testing/wait';

const open: Discovery[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});

function discovery(address: string, port: number): Discovery {
  const d = new Discovery({ address, port, requeryMs: 500 });
  open.push(d);
  return d;
}

describe('Discovery', () => {
  it('advertises, is found by a browser started before and one started after, and says goodbye', async () => {
    const port = await freeUdpPort();
    const early = discovery('127.0.0.21', port);
    const server = discovery('127.0.0.22', port);
    expect(await early.firstAnswer(300)).toEqual([]);
    server.advertise({ host: '127.0.0.22', port: 7070, node: '127.0.0.22:4000/ab' });
    const seen = {
      host: '127.0.0.22',
      port: 7070,
      node: '127.0.0.22:4000/ab',
      name: instanceName('127.0.0.22', 7070),
    };
    await waitFor('the early browser to see it', () => early.services.length === 1);
    expect(early.services).toEqual([seen]);
    const late = discovery('127.0.0.23', port);
    const started = Date.now();
    expect(await late.firstAnswer(2000)).toEqual([seen]);
    expect(Date.now() - started).toBeLessThan(1500);
    await server.withdraw();
    await waitFor('the goodbye', () => early.services.length === 0 && late.services.length === 0);
  });

  it('a host on a LAN address ignores loopback services (and the other way round)', async () => {
    const port = await freeUdpPort();
    const server = discovery('127.0.0.24', port);
    const watcher = discovery('127.0.0.25', port);
    server.advertise({ host: '192.0.2.99', port: 7070, node: 'x' });
    server.advertise({ host: '127.0.0.24', port: 7071, node: 'y' });
    await waitFor('the loopback service', () => watcher.services.length === 1);
    expect(watcher.services[0]?.port).toBe(7071);
    expect(SERVICE_TYPE).toBe('_liveobjects-gms._tcp');
  });
});
