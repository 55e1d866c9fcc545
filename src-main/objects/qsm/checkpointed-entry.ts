// liveobjects.checkpointed: the checkpointed channel protocol (objects/checkpointed) as a
// template over a channel reference. The protocol needs membership views, which the
// Channel<Bytes> endpoint does not carry, so the channel must be a qsm.channel (reached
// in-process through channelAccess). In-process replicas (the UI objects) attach a
// CheckpointedClient directly through checkpointedAccess(): the protocol asks for a
// checkpoint synchronously, at the exact cut its version vector describes, which
// asynchronous endpoint events cannot give. A replica connected through the `channel`
// endpoint instead gets send/receive/initialize; it never serves checkpoints (a joiner then
// takes one from another member).
import type { TemplateEntry } from '../../runtime/catalogue';
import type { Proxy } from '../../runtime/proxy';
import type { CheckpointedClient } from '../checkpointed';
import { CheckpointedChannel } from '../checkpointed';
import type { NamedGroupChannel } from '../channel/group-channel';
import { channelAccess } from './channel-entry';
import type { Address } from '../../../src-shared/format/document';

export interface CheckpointedAccess {
  readonly gms: Address;
  readonly group: string;
  /** The underlying group channel (members, views) — for presence. */
  readonly channel: NamedGroupChannel;
  /** As the channel's (ChannelAccess.sealing). */
  readonly sealing?: string;
  /** Starts the protocol with `client` as the replica; at most once per proxy. */
  attach(client: CheckpointedClient, onError?: (error: unknown) => void): CheckpointedChannel;
}

const access = new WeakMap<Proxy, CheckpointedAccess>();

export function checkpointedAccess(proxy: Proxy): CheckpointedAccess | undefined {
  return access.get(proxy);
}

export interface CheckpointedEntryOptions {
  /** Protocol timings (tests shorten them). */
  readonly transferTimeoutMs?: number;
  readonly providerWaitMs?: number;
}

export function checkpointedEntry(
  base: TemplateEntry,
  options: CheckpointedEntryOptions = {},
): TemplateEntry {
  return {
    ...base,
    async instantiate(ctx) {
      const channelProxy = await ctx.runtime.dereference(ctx.args.reference('channel'));
      const ch = channelAccess(channelProxy);
      if (!ch) {
        channelProxy.dispose();
        throw new Error(
          `${base.id} needs a channel with membership views (a qsm.channel or a nats.channel, or a liveobjects.sealed over one); ${channelProxy.label} has none`,
        );
      }
      const proxy = ctx.proxy();
      let protocol: CheckpointedChannel | undefined;
      let unclaim: (() => void) | undefined;
      const attach = (
        client: CheckpointedClient,
        onError?: (error: unknown) => void,
      ): CheckpointedChannel => {
        if (protocol) throw new Error(`${base.id} on group ${ch.group} already has a replica`);
        if (proxy.disposed) throw new Error(`${base.id} on group ${ch.group} is disposed`);
        // Members are node ids: two replicas of one group in one process would be one member.
        unclaim = ch.lease.claim(`another ${base.id}`);
        protocol = new CheckpointedChannel(ch.channel, client, {
          ...(options.transferTimeoutMs ? { transferTimeoutMs: options.transferTimeoutMs } : {}),
          ...(options.providerWaitMs ? { providerWaitMs: options.providerWaitMs } : {}),
          ...(onError ? { onError } : {}),
        });
        return protocol;
      };
      proxy.onDispose(() => {
        void protocol?.close();
        unclaim?.();
        channelProxy.dispose();
      });
      const portal = proxy.portal('channel');
      portal.onConnect(() => {
        if (protocol) return;
        const remote = attach({
          receive: (_sender, update) => {
            if (portal.connected) portal.send('receive', update);
          },
          initialize: (checkpoint) => {
            if (portal.connected) portal.send('initialize', checkpoint);
          },
          checkpoint: () => {
            throw new Error('a replica connected through the endpoint does not serve checkpoints');
          },
        });
        portal.on('send', (update) => void remote.send(update as Uint8Array).catch(() => undefined));
      });
      // Declared incoming event; only in-process replicas serve checkpoints (see above).
      portal.on('checkpoint', () => undefined);
      access.set(proxy, {
        gms: ch.gms,
        group: ch.group,
        channel: ch.channel,
        attach,
        ...(ch.sealing === undefined ? {} : { sealing: ch.sealing }),
      });
      return proxy;
    },
  };
}
