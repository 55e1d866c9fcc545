import { describe, expect, it } from 'vitest';
import { BYTES, channelType } from '../../src-shared/model/catalogue';
import { TypeCheckError } from '../../src-shared/model/types';
import { EndpointError } from './errors';
import { LocalProxy } from './proxy';
import { STRING_CHANNEL, STRING_CLIENT } from './test-objects';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function pair() {
  const server = new LocalProxy('server', STRING_CHANNEL);
  const client = new LocalProxy('client', STRING_CLIENT);
  return { server, client };
}

describe('endpoints and connections', () => {
  it('delivers events both ways once connected, asynchronously and in order', async () => {
    const { server, client } = pair();
    const s = server.portal('channel');
    const c = client.portal('channel');
    s.on('send', (m) => s.send('receive', `echo ${String(m)}`));
    const got: unknown[] = [];
    c.on('receive', (m) => got.push(m));
    client.endpoint('channel').connect(server.endpoint('channel'));
    c.send('send', 'a');
    c.send('send', 'b');
    expect(got).toEqual([]);
    await tick();
    expect(got).toEqual(['echo a', 'echo b']);
  });

  it('checks τ ∝ τ′ on connect and reports the reasons', () => {
    const client = new LocalProxy('client', STRING_CLIENT);
    const bytes = new LocalProxy('bytes channel', channelType(BYTES));
    expect(() => client.endpoint('channel').connect(bytes.endpoint('channel'))).toThrow(TypeCheckError);
    try {
      client.endpoint('channel').connect(bytes.endpoint('channel'));
    } catch (e) {
      expect((e as TypeCheckError).message).toMatch(/do not match/);
      expect((e as TypeCheckError).reasons.length).toBeGreaterThan(0);
    }
    expect(client.endpoint('channel').connected).toBe(false);
  });

  it('connects an endpoint instance at most once', () => {
    const { server, client } = pair();
    const other = new LocalProxy('client 2', STRING_CLIENT);
    const connection = client.endpoint('channel').connect(server.endpoint('channel'));
    expect(() => other.endpoint('channel').connect(server.endpoint('channel'))).toThrow(
      /endpoint 'channel' of server is already connected: an endpoint instance connects at most once/,
    );
    connection.dispose();
    expect(() =>
      client.endpoint('channel').connect(new LocalProxy('s2', STRING_CHANNEL).endpoint('channel')),
    ).toThrow(/at most once/);
  });

  it('disposing a connection notifies both proxies and drops events in flight', async () => {
    const { server, client } = pair();
    const events: string[] = [];
    server.portal('channel').onDisconnect(() => events.push('server'));
    client.portal('channel').onDisconnect(() => events.push('client'));
    server.portal('channel').on('send', () => events.push('delivered'));
    const connection = client.endpoint('channel').connect(server.endpoint('channel'));
    client.portal('channel').send('send', 'x');
    connection.dispose();
    await tick();
    expect(events.sort()).toEqual(['client', 'server']);
    expect(connection.disposed).toBe(true);
    expect(() => client.portal('channel').send('send', 'y')).toThrow(/not connected/);
  });

  it('disposing a proxy disposes its connections and tells the peer', () => {
    const { server, client } = pair();
    let disconnected = 0;
    client.portal('channel').onDisconnect(() => disconnected++);
    const connection = client.endpoint('channel').connect(server.endpoint('channel'));
    let cleaned = false;
    server.onDispose(() => (cleaned = true));
    server.dispose();
    expect(connection.disposed).toBe(true);
    expect(disconnected).toBe(1);
    expect(cleaned).toBe(true);
    expect(server.disposed).toBe(true);
  });

  it('rejects sending an undeclared event, wrong arguments and handlers for undeclared events', () => {
    const { server, client } = pair();
    client.endpoint('channel').connect(server.endpoint('channel'));
    const c = client.portal('channel');
    expect(() => c.send('receive', 'x')).toThrow(EndpointError);
    expect(() => c.send('receive', 'x')).toThrow(
      /not an outgoing event of ChannelClient<String>.channel \(declared: send\)/,
    );
    expect(() => c.send('send', 42)).toThrow(/argument 1 of event 'send': expected a string/);
    expect(() => c.send('send')).toThrow(/takes 1 argument\(s\) but got 0/);
    expect(() => c.on('send', () => {})).toThrow(/not an incoming event/);
  });

  it('names the known endpoints when asked for an unknown one', () => {
    expect(() => new LocalProxy('server', STRING_CHANNEL).endpoint('nope')).toThrow(
      "server has no endpoint 'nope' (its endpoints: channel)",
    );
  });
});
