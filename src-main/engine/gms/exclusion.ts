// The `exclude` request (docs/gms.md): a node reports a member that holds back stability in
// a region (engine options.ts `stabilityTimeoutMs`) and asks for a view without it. The GMS
// acts only on a report from a node that belongs to that region or sends to it (a member of
// one of its groups) about a member of that region, and logs who asked; it then removes the
// member as it removes a silent one (its connection closes; a live member re-registers).
import type { NodeId, RegionView, StallReport } from '../membership';
import { isCount, isName, MAX_NAME_LENGTH } from './protocol';

export interface ExcludeMessage {
  readonly t: 'exclude';
  /** The member to exclude. */
  readonly node: NodeId;
  /** The region view where it holds back stability: a report about an older view (the
   * member may have been excluded and re-admitted since) is not acted on. */
  readonly region: string;
  readonly viewId: number;
  /** What the reporter observed (for the log). */
  readonly reason: string;
}

/** The request for `report`, its reason cut to what the protocol carries. */
export function excludeMessage(report: StallReport): ExcludeMessage {
  return {
    t: 'exclude',
    node: report.member,
    region: report.region,
    viewId: report.viewId,
    reason: report.reason.slice(0, MAX_NAME_LENGTH),
  };
}

/** The message, or undefined if `value` (a JSON object with t = 'exclude') is malformed. */
export function parseExclude(value: Readonly<Record<string, unknown>>): ExcludeMessage | undefined {
  const { node, region, viewId, reason } = value;
  return isName(node) && isName(region) && isCount(viewId) && isName(reason)
    ? { t: 'exclude', node, region, viewId, reason }
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
  if (region.viewId !== message.viewId)
    return `the report is about view ${message.viewId} of region ${message.region}, now at ${region.viewId}`;
  if (!region.members.some((m) => m.id === message.node))
    return `${message.node} is not a member of region ${message.region}`;
  return undefined;
}
