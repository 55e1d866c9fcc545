// Endpoint matching ∝ (live-objects-model.md, eq. 2.1): the condition for connecting two
// endpoints. τ1 ∝ τ2 ⇔ O1 ⊑* I2 ∧ O2 ⊑* I1 ∧ C1 ⇒* C2′ ∧ C2 ⇒* C1′.
import { formatConstraint, formatEventType } from './describe';
import { eventList, sides, type CheckLabels } from './labels';
import { constraintFaults, eventSetFaults, shortfall } from './subtyping';
import { fail, OK } from './types';
import type { CheckResult, EndpointType } from './types';

/** Every output of one side is understood by the other, and each side's guarantees imply the other's requirements. */
export function matchEndpoints(t1: EndpointType, t2: EndpointType, labels: CheckLabels = {}): CheckResult {
  const s = sides(labels, t1.name, t2.name, ['one side', 'the other side']);
  const reasons = [
    ...directed(t1, t2, s.prefix, s.left, s.right),
    ...directed(t2, t1, s.prefix, s.right, s.left),
  ];
  return reasons.length ? fail(...reasons) : OK;
}

/** Reasons for O_from ⊑* I_to and C_from ⇒* C′_to. */
function directed(from: EndpointType, to: EndpointType, p: string, l: string, r: string): string[] {
  const reasons: string[] = [];
  for (const f of eventSetFaults(from.out, to.in)) {
    const ev = formatEventType(f.event);
    reasons.push(
      f.kind === 'missing'
        ? `${p}output event '${ev}' of ${l} is not accepted by ${r}, which accepts ${to.in.length ? `only ${eventList(to.in)}` : 'no events'}`
        : `${p}output event '${ev}' of ${l} does not fit the input '${formatEventType(f.counterpart)}' of ${r}: ${f.detail}`,
    );
  }
  for (const f of constraintFaults(from.provides, to.requires))
    reasons.push(`${p}${r} requires ${formatConstraint(f.wanted)}, ${shortfall(f, l, 'provides')}`);
  return reasons;
}
