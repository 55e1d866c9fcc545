// The GMS wire protocol (docs/gms.md): JSON messages in length-prefixed frames over TCP. Both
// directions are validated field by field; anything that does not match is "malformed" and
// is dropped by the receiver, never trusted.
import type { GroupView, NodeInfo, RegionView } from '../membership';
import { parseExclude, type ExcludeMessage } from './exclusion';

export const PROTOCOL_VERSION = 1;

/** Limits on client-supplied strings, so one node cannot bloat everyone's views. */
export const MAX_NAME_LENGTH = 512;
export const MAX_GROUPS_PER_NODE = 10_000;

export interface GmsStats {
  readonly nodes: number;
  readonly groups: number;
  readonly regions: number;
  readonly connections: number;
  readonly epoch: number;
  readonly epochsInstalled: number;
  readonly malformedFrames: number;
}

export type ClientMessage =
  | {
      readonly t: 'register';
      readonly v: number;
      readonly node: NodeInfo;
      readonly groups: readonly string[];
      /** Highest epoch the node has seen, so a restarted GMS never numbers below it. */
      readonly lastEpoch: number;
    }
  | { readonly t: 'join'; readonly group: string }
  | { readonly t: 'leave'; readonly group: string }
  | { readonly t: 'heartbeat' }
  /** Allowed before registering: is this a GMS? (used by startEmbeddedGms). */
  | { readonly t: 'ping' }
  /** Allowed before registering: operational counters. */
  | { readonly t: 'stats' }
  /** After register: a member holds back stability (exclusion.ts). */
  | ExcludeMessage;

export type ServerMessage =
  | { readonly t: 'welcome'; readonly v: number; readonly heartbeatMs: number; readonly suspectMs: number }
  | {
      readonly t: 'snapshot';
      readonly epoch: number;
      readonly groups: readonly GroupView[];
      readonly regions: readonly RegionView[];
    }
  | {
      readonly t: 'delta';
      readonly epoch: number;
      readonly groups: readonly GroupView[];
      readonly regions: readonly RegionView[];
      readonly removedGroups: readonly string[];
      readonly removedRegions: readonly string[];
    }
  | { readonly t: 'heartbeat' }
  | { readonly t: 'pong'; readonly v: number; readonly epoch: number }
  | { readonly t: 'stats'; readonly stats: GmsStats }
  | { readonly t: 'error'; readonly message: string };

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_LENGTH;
}

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}

function isArrayOf<T>(value: unknown, item: (x: unknown) => x is T, max = Infinity): value is T[] {
  return Array.isArray(value) && value.length <= max && value.every(item);
}

export function isNodeInfo(value: unknown): value is NodeInfo {
  return isObject(value) && isName(value.id) && isName(value.host) && isPort(value.port);
}

function isRegionRef(value: unknown): value is GroupView['regions'][number] {
  return isObject(value) && isName(value.region) && isCount(value.viewId);
}

export function isGroupView(value: unknown): value is GroupView {
  return (
    isObject(value) &&
    isName(value.group) &&
    isCount(value.viewId) &&
    isArrayOf(value.members, isName) &&
    isArrayOf(value.regions, isRegionRef)
  );
}

export function isRegionView(value: unknown): value is RegionView {
  const multicast = isObject(value) ? value.multicast : undefined;
  return (
    isObject(value) &&
    isName(value.region) &&
    isCount(value.viewId) &&
    isArrayOf(value.groups, isName) &&
    isArrayOf(value.members, isNodeInfo) &&
    isObject(multicast) &&
    isName(multicast.address) &&
    isPort(multicast.port)
  );
}

/** Returns the message, or undefined if `value` is not a well-formed client message. */
export function parseClientMessage(value: unknown): ClientMessage | undefined {
  if (!isObject(value)) return undefined;
  switch (value.t) {
    case 'register':
      return isCount(value.v) &&
        isNodeInfo(value.node) &&
        isArrayOf(value.groups, isName, MAX_GROUPS_PER_NODE) &&
        isCount(value.lastEpoch)
        ? {
            t: 'register',
            v: value.v,
            node: { id: value.node.id, host: value.node.host, port: value.node.port },
            groups: value.groups,
            lastEpoch: value.lastEpoch,
          }
        : undefined;
    case 'join':
    case 'leave':
      return isName(value.group) ? { t: value.t, group: value.group } : undefined;
    case 'heartbeat':
    case 'ping':
    case 'stats':
      return { t: value.t };
    case 'exclude':
      return parseExclude(value);
    default:
      return undefined;
  }
}

function isStats(value: unknown): value is GmsStats {
  return (
    isObject(value) &&
    ['nodes', 'groups', 'regions', 'connections', 'epoch', 'epochsInstalled', 'malformedFrames'].every((k) =>
      isCount(value[k]),
    )
  );
}

/** Returns the message, or undefined if `value` is not a well-formed server message. */
export function parseServerMessage(value: unknown): ServerMessage | undefined {
  if (!isObject(value)) return undefined;
  switch (value.t) {
    case 'welcome':
      return isCount(value.v) && isCount(value.heartbeatMs) && isCount(value.suspectMs)
        ? { t: 'welcome', v: value.v, heartbeatMs: value.heartbeatMs, suspectMs: value.suspectMs }
        : undefined;
    case 'snapshot':
      return isCount(value.epoch) &&
        isArrayOf(value.groups, isGroupView) &&
        isArrayOf(value.regions, isRegionView)
        ? { t: 'snapshot', epoch: value.epoch, groups: value.groups, regions: value.regions }
        : undefined;
    case 'delta':
      return isCount(value.epoch) &&
        isArrayOf(value.groups, isGroupView) &&
        isArrayOf(value.regions, isRegionView) &&
        isArrayOf(value.removedGroups, isName) &&
        isArrayOf(value.removedRegions, isName)
        ? {
            t: 'delta',
            epoch: value.epoch,
            groups: value.groups,
            regions: value.regions,
            removedGroups: value.removedGroups,
            removedRegions: value.removedRegions,
          }
        : undefined;
    case 'heartbeat':
      return { t: 'heartbeat' };
    case 'pong':
      return isCount(value.v) && isCount(value.epoch)
        ? { t: 'pong', v: value.v, epoch: value.epoch }
        : undefined;
    case 'stats':
      return isStats(value.stats) ? { t: 'stats', stats: value.stats } : undefined;
    case 'error':
      return typeof value.message === 'string' ? { t: 'error', message: value.message } : undefined;
    default:
      return undefined;
  }
}
