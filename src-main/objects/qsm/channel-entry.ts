// qsm.channel: a Channel<Bytes> over one QSM group (reliable, FIFO per sender). Creating the
// proxy joins the group (shared, reference-counted, per host process); disposing it leaves
// the group once no other proxy uses it. With a `key`, messages are sealed as liveobjects.sealed
// seals them, under a key derived from it. In-process objects that need views (the checkpointed
// channel) reach the underlying GroupChannel through channelAccess().
import type { Address } from '../../../src-shared/format/document';
import type { TemplateEntry } from '../../runtime/catalogue';
import type { LocalProxy, Proxy } from '../../runtime/proxy';
import type { NamedGroupChannel } from '../channel/group-channel';
import { EngineGroupChannel } from './engine-channel';
import { keyFingerprint, objectKeyFromSecret } from '../sealed/object-key';
import { SealedGroupChannel } from '../sealed/sealed-channel';
import type { GroupLease, QsmService } from './service';

export const QSM_CHANNEL_ID = 'qsm.channel';
const MAX_GROUP_NAME = 512;

/** What in-process objects may ask of a qsm.channel proxy besides its endpoint. */
export interface ChannelAccess {
  readonly gms: Address;
  readonly group: string;
  /** The channel with membership views; closing it leaves the group (as disposing does). */
  readonly channel: NamedGroupChannel;
  readonly lease: GroupLease;
  /**
   * Fingerprints of the keys the channel is sealed with (liveobjects.sealed), absent for a
   * plain channel: objects over channels that differ here never share a replica or state.
   */
  readonly sealing?: string;
}

const access = new WeakMap<Proxy, ChannelAccess>();

export function channelAccess(proxy: Proxy): ChannelAccess | undefined {
  return access.get(proxy);
}

/** Makes `proxy` a channel with membership views for the objects above it (a wrapper channel). */
export function provideChannelAccess(proxy: Proxy, channelAccess: ChannelAccess): void {
  access.set(proxy, channelAccess);
}

/** The group and the keys it is sealed with: what tells two objects' channels apart. */
export function channelIdentity(channel: { readonly group: string; readonly sealing?: string }): string {
  return channel.sealing === undefined ? channel.group : `${channel.group}\nsealed ${channel.sealing}`;
}

/** Serves the `channel` endpoint of `proxy` from `channel`. */
export function serveChannelEndpoint(proxy: LocalProxy, channel: NamedGroupChannel): void {
  const portal = proxy.portal('channel');
  portal.on('send', (data) => {
    channel.send(data as Uint8Array).catch(() => {
      // The Channel type promises no error path; undeliverable sends end with the proxy.
    });
  });
  // Deliveries reach the endpoint once something is connected to it.
  portal.onConnect(() => {
    channel.onMessage((_sender, data) => {
      if (portal.connected) portal.send('receive', data);
    });
  });
}

export function validGroupName(group: string): string | undefined {
  if (group.length === 0) return 'a group name must not be empty';
  if (group.length > MAX_GROUP_NAME) return `a group name has at most ${MAX_GROUP_NAME} characters`;
  return undefined;
}

/** The implementation of the declared `base` entry (its id, parameters and type). */
export function qsmChannelEntry(service: () => QsmService, base: TemplateEntry): TemplateEntry {
  return {
    ...base,
    async instantiate(ctx) {
      const gms = ctx.args.address('gms');
      const group = ctx.args.string('group');
      const bad = validGroupName(group);
      if (bad) throw new Error(bad);
      const secret = ctx.args.optionalBytes('key');
      const key = secret ? objectKeyFromSecret(secret) : undefined;
      const lease = await service().lease(gms, group);
      const engine = new EngineGroupChannel(lease);
      const channel = key ? new SealedGroupChannel(engine, key) : engine;
      const proxy = ctx.proxy();
      proxy.onDispose(() => void channel.close());
      serveChannelEndpoint(proxy, channel);
      access.set(proxy, { gms, group, channel, lease, ...(key ? { sealing: keyFingerprint(key) } : {}) });
      return proxy;
    },
  };
}
