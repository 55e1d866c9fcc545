// Human text for types: one-line forms used inside check reasons, and multi-line
// descriptions for the CLI (`liveobjects types`, `inspect`).
import type { Constraint, Constraints, EndpointType, EventType, ObjectType, ValueType } from './types';

/** `Channel<Bytes>`, or for an unnamed type its endpoint names: `{channel, feed}`. */
export function formatObjectTypeName(t: ObjectType): string {
  return t.name !== '' ? t.name : `{${[...t.endpoints.keys()].join(', ')}}`;
}

export function formatValueType(v: ValueType): string {
  return v.kind === 'primitive' ? v.name : `Reference<${formatObjectTypeName(v.target)}>`;
}

/** `item(Name, Reference<Object>)`, `requestCheckpoint()`. */
export function formatEventType(e: EventType): string {
  return `${e.name}(${e.params.map(formatValueType).join(', ')})`;
}

/** `liveobjects.guarantees 'reliable fifo'`. */
export function formatConstraint(c: Constraint): string {
  return `${c.formalism} '${c.text}'`;
}

function sortedConstraints(cs: Constraints): Constraint[] {
  return [...cs.values()].sort((a, b) => a.formalism.localeCompare(b.formalism));
}

function endpointLines(t: EndpointType, indent: string): string[] {
  const lines: string[] = [];
  for (const e of t.in) lines.push(`${indent}in  ${formatEventType(e)}`);
  for (const e of t.out) lines.push(`${indent}out ${formatEventType(e)}`);
  if (t.in.length === 0 && t.out.length === 0) lines.push(`${indent}(no events)`);
  for (const c of sortedConstraints(t.provides)) lines.push(`${indent}provides ${c.formalism}: ${c.text}`);
  for (const c of sortedConstraints(t.requires)) lines.push(`${indent}requires ${c.formalism}: ${c.text}`);
  return lines;
}

/**
 * endpoint type TickerFeed
 *   in  subscribe(String)
 *   out tick(Bytes)
 *   provides liveobjects.guarantees: fifo reliable
 */
export function describeEndpointType(t: EndpointType): string {
  return [`endpoint type ${t.name}`, ...endpointLines(t, '  ')].join('\n');
}

/**
 * object type Channel<Bytes>
 *   endpoint channel
 *     in  send(Bytes)
 *     out receive(Bytes)
 */
export function describeObjectType(t: ObjectType): string {
  const lines = [`object type ${formatObjectTypeName(t)}`];
  if (t.endpoints.size === 0) lines.push('  (no endpoints)');
  for (const [name, ep] of t.endpoints) {
    lines.push(`  endpoint ${name}${ep.name ? ` : ${ep.name}` : ''}`, ...endpointLines(ep, '    '));
  }
  for (const c of sortedConstraints(t.provides)) lines.push(`  provides ${c.formalism}: ${c.text}`);
  for (const c of sortedConstraints(t.requires)) lines.push(`  requires ${c.formalism}: ${c.text}`);
  return lines.join('\n');
}
