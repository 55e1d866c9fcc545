// The `exclude` request (docs/gms.md): a node reports a member that holds back stability in
// a region (engine options.ts `stabilityTimeoutMs`) and asks for a view without it. The GMS
// acts only on a report from a node that belongs to that region or sends to it (a member of
// one of its groups) about a member of that region, and logs who asked; it then removes the
// member as it removes a silent one (its connection closes; a live member re-registers).
import type { NodeId, RegionView } from '../membership';
import { isName, MAX_NAME_LENGTH } from './protocol';

export interface ExcludeMessage {
  readonly t: 'exclude';
  /** The member to exclude. */
  readonly node: NodeId;
  /** The region where it holds back stability. */
  readonly region: string;
  /** What the reporter observed (for the log). */
  readonly reason: string;
}

/** The request for `report`, its reason cut to what the protocol carries. */
export function excludeMessage(report: { member: NodeId; region: string; reason: string }): ExcludeMessage {
  return {
    t: 'exclude',
    node: report.member,
    region: report.region,
    reason: report.reason.slice(0, MAX_NAME_LENGTH),
  };
}

/** The message, or undefined if `value` (a JSON object with t = 'exclude') is malformed. */
export function parseExclude(value: Readonly<Record<string, unknown>>): ExcludeMessage | undefined {
  return isName(value['node']) && isName(value['region']) && isName(value['reason'])
    ? { t: 'exclude', node: value['node'], region: value['region'], reason: value['reason'] }
    : undefined;
}

/**
 * Why the GMS refuses `reporter`'s request to exclude `node` from `region`, or undefined if
 * it may act on it. `regions`: the current views of the regions that concern the reporter
 * (its own, and those its groups span).
 */
export function exclusionRefusal(
  reporter: NodeId,
  message: ExcludeMessage,
  regions: readonly RegionView[],
): string | undefined {
  if (message.node === reporter) return 'a node cannot exclude itself (it leaves instead)';
  const region = regions.find((r) => r.region === message.region);
  if (!region) return `the reporter neither belongs to region ${message.region} nor sends to it`;
  if (!region.members.some((m) => m.id === message.node))
    return `${message.node} is not a member of region ${message.region}`;
  return undefined;
}
