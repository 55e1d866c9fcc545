export type {
  CheckpointedChannelOptions,
  CheckpointedChannelStats,
  CheckpointedClient,
  CheckpointedState,
} from './checkpointed-channel';
export { CheckpointedChannel } from './checkpointed-channel';
export type { Timers } from './timers';
export { VersionVector } from './version-vector';
