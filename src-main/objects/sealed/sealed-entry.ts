// liveobjects.sealed: a Channel<Bytes> that seals every message of the channel beneath with
// the reference's `key` (sealed-channel.ts). The key in the reference is the capability:
// whoever lacks it sees ciphertext on the wire and cannot send, replay or re-attribute.
// Objects that need membership views (the checkpointed channel, the streams) sit over it as
// they sit over a qsm.channel: the wrapper passes the views through.
import type { TemplateEntry } from '../../runtime/catalogue';
import { channelAccess, provideChannelAccess, serveChannelEndpoint } from '../qsm/channel-entry';
import type { MemberId } from '../channel/group-channel';
import type { RejectReason } from './object-key';
import { checkObjectKey, keyFingerprint } from './object-key';
import { SealedGroupChannel, warnRejected } from './sealed-channel';

export const SEALED_ID = 'liveobjects.sealed';

export interface SealedEntryOptions {
  /**
   * Told once per channel about the first message that did not open (later ones are only
   * counted); default: a warning on the console.
   */
  readonly onRejected?: (group: string, reason: RejectReason, sender: MemberId) => void;
}

export function sealedEntry(base: TemplateEntry, options: SealedEntryOptions = {}): TemplateEntry {
  const onRejected = options.onRejected ?? warnRejected;
  return {
    ...base,
    async instantiate(ctx) {
      const key = ctx.args.bytes('key');
      checkObjectKey(key, base.id);
      const inner = await ctx.runtime.dereference(ctx.args.reference('channel'));
      const ch = channelAccess(inner);
      if (!ch) {
        inner.dispose();
        throw new Error(
          `${base.id} needs a channel with membership views (a qsm.channel or a nats.channel); ${inner.label} has none`,
        );
      }
      const channel = new SealedGroupChannel(ch.channel, key, {
        onFirstRejection: (reason, sender) => onRejected(ch.group, reason, sender),
      });
      const proxy = ctx.proxy();
      proxy.onDispose(() => {
        void channel.close();
        inner.dispose();
      });
      serveChannelEndpoint(proxy, channel);
      const fingerprint = keyFingerprint(key);
      provideChannelAccess(proxy, {
        gms: ch.gms,
        group: ch.group,
        channel,
        lease: ch.lease,
        sealing: ch.sealing === undefined ? fingerprint : `${ch.sealing}+${fingerprint}`,
      });
      return proxy;
    },
  };
}
