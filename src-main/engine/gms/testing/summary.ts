// Compact, comparable summaries of membership states for tests.
import type { MembershipState } from '../../membership';

export interface StateSummary {
  /** Group → member ids. */
  readonly groups: Record<string, readonly string[]>;
  /** Region named by its groups joined with '+' → member ids. */
  readonly regions: Record<string, readonly string[]>;
}

export function summarize(state: Pick<MembershipState, 'groups' | 'regions'>): StateSummary {
  return {
    groups: Object.fromEntries(state.groups.map((g) => [g.group, [...g.members]])),
    regions: Object.fromEntries(state.regions.map((r) => [r.groups.join('+'), r.members.map((m) => m.id)])),
  };
}

/** Every group view must be the disjoint union of the region views it maps to. */
export function mappingErrors(state: Pick<MembershipState, 'groups' | 'regions'>): string[] {
  const errors: string[] = [];
  const regions = new Map(state.regions.map((r) => [r.region, r]));
  for (const g of state.groups) {
    const union: string[] = [];
    for (const ref of g.regions) {
      const r = regions.get(ref.region);
      if (!r) errors.push(`${g.group}: region ${ref.region} missing`);
      else if (r.viewId !== ref.viewId)
        errors.push(`${g.group}: ${ref.region} view ${ref.viewId} != ${r.viewId}`);
      else union.push(...r.members.map((m) => m.id));
    }
    if (JSON.stringify(union.sort()) !== JSON.stringify([...g.members])) {
      errors.push(`${g.group}: members ${g.members.join(',')} != union of regions ${union.join(',')}`);
    }
  }
  return errors;
}
