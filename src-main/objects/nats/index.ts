// The NATS platform: nats.platform and nats.channel over NATS JetStream, and the connection
// service they share (one connection per server list and credentials per host process).
export { NatsService, parseServers } from './service';
export type { NatsConnectionLease, NatsConnectionState, NatsEndpoint, NatsServiceOptions } from './service';
export { DEFAULT_HISTORY, NatsGroupChannel, ensureStream } from './nats-channel';
export type { NatsChannelOptions, NatsHistoryLimits } from './nats-channel';
export { groupNames } from './subjects';
export type { GroupNames } from './subjects';
export {
  NATS_CHANNEL_ID,
  NATS_PLATFORM_ID,
  natsChannelEntry,
  natsChannelReference,
  natsPlatformEntry,
  natsPlatformReference,
} from './entries';
export type { NatsChannelParams, NatsHistoryParams, NatsPlatformParams } from './entries';
