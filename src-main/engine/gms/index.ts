// The membership service (GMS) of the QSM engine: server, client, static tables and regions.
export { GmsServer, gmsDefaults } from './server';
export type { GmsServerOptions } from './server';
export { GmsClient } from './client';
export type { GmsClientOptions, GmsClientStats } from './client';
export { StaticMembership, StaticMembershipTable } from './static';
export type { StaticMembershipOptions, StaticNode } from './static';
export { fetchGmsStats, probeGms, startEmbeddedGms } from './embedded';
export type { EmbeddedGms, EmbeddedGmsOptions, ProbeResult } from './embedded';
export {
  assignMulticast,
  computeRegions,
  defaultMulticastRange,
  parseMulticastRange,
  regionIdOf,
} from './regions';
export type { MulticastRange, RegionLayout } from './regions';
export { ViewBook } from './views';
export type { InstallSummary } from './views';
export { PROTOCOL_VERSION } from './protocol';
export type { ClientMessage, GmsStats, ServerMessage } from './protocol';
