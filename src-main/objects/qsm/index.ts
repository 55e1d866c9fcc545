// The QSM channel objects: qsm.platform, qsm.channel, liveobjects.checkpointed, and the
// engine service they share (one node per host process and GMS address).
export { QsmService, SharedNode } from './service';
export type { EngineTunables, GmsAddress, GroupLease, QsmServiceOptions } from './service';
export { EngineGroupChannel, FRAGMENT_BYTES } from './engine-channel';
export {
  QSM_CHANNEL_ID,
  channelAccess,
  channelIdentity,
  provideChannelAccess,
  qsmChannelEntry,
  serveChannelEndpoint,
  validGroupName,
} from './channel-entry';
export type { ChannelAccess } from './channel-entry';
export { QSM_PLATFORM_ID, qsmChannelReference, qsmPlatformEntry } from './platform-entry';
export { checkpointedAccess, checkpointedEntry } from './checkpointed-entry';
export type { CheckpointedAccess, CheckpointedEntryOptions } from './checkpointed-entry';
