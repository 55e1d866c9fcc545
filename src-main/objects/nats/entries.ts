// nats.platform and nats.channel: the NATS platform as a Folder<Name, Channel<Bytes>> (beside
// qsm.platform) and its channels, each a JetStream-backed group channel (nats-channel.ts).
// Objects over a nats.channel (liveobjects.sealed, liveobjects.checkpointed) reach its
// membership views through channelAccess(), as over a qsm.channel.
import type { Reference, Value } from '../../../src-shared/format/document';
import type { TemplateEntry } from '../../runtime/catalogue';
import type { TemplateArguments } from '../../runtime/template-arguments';
import { FOLDER_ENDPOINT, serveFolder } from '../../runtime/folder';
import { provideChannelAccess, serveChannelEndpoint, validGroupName } from '../qsm/channel-entry';
import type { GroupLease } from '../qsm/service';
import type { NatsChannelOptions, NatsHistoryLimits } from './nats-channel';
import { NatsGroupChannel } from './nats-channel';
import type { NatsEndpoint, NatsService } from './service';
import { parseServers } from './service';

export const NATS_PLATFORM_ID = 'nats.platform';
export const NATS_CHANNEL_ID = 'nats.channel';

/** Optional history limits of a reference (the stream's, when its first member creates it). */
export interface NatsHistoryParams {
  /** Days the history keeps a message. */
  readonly historyDays?: number;
  /** Megabytes the history of one group keeps at most. */
  readonly historyMegabytes?: number;
  /** Copies of each group's stream on a JetStream cluster. */
  readonly replicas?: number;
}

export interface NatsPlatformParams extends NatsEndpoint, NatsHistoryParams {}

export interface NatsChannelParams extends NatsPlatformParams {
  readonly group: string;
}

const param = (name: string, value: Value) => ({ name, value: { kind: 'value' as const, value } });

function endpointParams(p: NatsPlatformParams) {
  return [
    param('servers', { type: 'string', value: p.servers }),
    ...(p.credentials !== undefined ? [param('credentials', { type: 'string', value: p.credentials })] : []),
    ...(p.historyDays !== undefined ? [param('historyDays', { type: 'double', value: p.historyDays })] : []),
    ...(p.historyMegabytes !== undefined
      ? [param('historyMegabytes', { type: 'int', value: p.historyMegabytes })]
      : []),
    ...(p.replicas !== undefined ? [param('replicas', { type: 'int', value: p.replicas })] : []),
  ];
}

/** `<parameterized>` nats.platform with `servers` (and `credentials`, history limits when given). */
export function natsPlatformReference(p: NatsPlatformParams): Reference {
  return {
    kind: 'parameterized',
    template: { kind: 'primitive', id: NATS_PLATFORM_ID },
    params: endpointParams(p),
  };
}

/** `<parameterized>` nats.channel for `group` on `servers`. */
export function natsChannelReference(p: NatsChannelParams): Reference {
  return {
    kind: 'parameterized',
    template: { kind: 'primitive', id: NATS_CHANNEL_ID },
    params: [...endpointParams(p), param('group', { type: 'string', value: p.group })],
  };
}

function platformParams(args: TemplateArguments): NatsPlatformParams {
  const servers = args.string('servers');
  parseServers(servers);
  const positive = (name: string, value: number): number => {
    if (!(value > 0)) throw new Error(`${name} must be a positive number (got ${value})`);
    return value;
  };
  return {
    servers,
    ...(args.has('credentials') ? { credentials: args.string('credentials') } : {}),
    ...(args.has('historyDays') ? { historyDays: positive('historyDays', args.double('historyDays')) } : {}),
    ...(args.has('historyMegabytes')
      ? { historyMegabytes: positive('historyMegabytes', args.int('historyMegabytes')) }
      : {}),
    ...(args.has('replicas') ? { replicas: positive('replicas', args.int('replicas')) } : {}),
  };
}

function historyLimits(p: NatsHistoryParams): Partial<NatsHistoryLimits> {
  return {
    ...(p.historyDays !== undefined ? { maxAgeMs: p.historyDays * 24 * 3600 * 1000 } : {}),
    ...(p.historyMegabytes !== undefined ? { maxBytes: p.historyMegabytes * 1024 * 1024 } : {}),
    ...(p.replicas !== undefined ? { replicas: p.replicas } : {}),
  };
}

export function natsPlatformEntry(base: TemplateEntry): TemplateEntry {
  return {
    ...base,
    instantiate(ctx) {
      const p = platformParams(ctx.args);
      const proxy = ctx.proxy();
      // Invalid names are `missing`: the folder holds no channel by that name.
      serveFolder(proxy.portal(FOLDER_ENDPOINT), (group) =>
        validGroupName(group) ? undefined : natsChannelReference({ ...p, group }),
      );
      return proxy;
    },
  };
}

export function natsChannelEntry(
  service: () => NatsService,
  base: TemplateEntry,
  options: Omit<NatsChannelOptions, 'history'> = {},
): TemplateEntry {
  return {
    ...base,
    async instantiate(ctx) {
      const p = platformParams(ctx.args);
      const group = ctx.args.string('group');
      const bad = validGroupName(group);
      if (bad) throw new Error(bad);
      const lease = await service().lease(p);
      const channel = await NatsGroupChannel.open(lease, group, { ...options, history: historyLimits(p) });
      const proxy = ctx.proxy();
      proxy.onDispose(() => void channel.close());
      serveChannelEndpoint(proxy, channel);
      const groupLease: GroupLease = {
        group,
        self: channel.self,
        get members() {
          return channel.members;
        },
        send: (data) => channel.send(data),
        onMessage: (l) => channel.onMessage(l),
        onView: (l) => channel.onView(l),
        claim: (what) => lease.claim(group, what),
        release: () => void channel.close(),
      };
      provideChannelAccess(proxy, {
        // The platform part of the objects' persisted-state keys: NATS servers have no GMS
        // address, so the server list stands in its place (port 0 never names a GMS).
        gms: { host: `nats:${lease.servers.join(',')}`, port: 0 },
        group,
        channel,
        lease: groupLease,
      });
      return proxy;
    },
  };
}
