// The membership service (GMS) of the QSM engine: server, client, failover choices, static
// tables and regions.
export { GmsServer, gmsDefaults } from './server';
export type { GmsServerOptions } from './server';
export { GmsClient } from './client';
export { MembershipRefusedError } from './auth';
export type { GmsAddress, GmsClientOptions, GmsClientStats, GmsConnection } from './client';
export { compareServices, isLoopbackHost, loopbackMismatch, preferredService, successorOf } from './failover';
export type { ServiceCandidate } from './failover';
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
