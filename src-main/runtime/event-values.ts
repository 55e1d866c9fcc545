// Dev-time checks that an event's runtime arguments fit the value types its endpoint type
// declares. Values cross endpoints as plain JS: String/Name → string, Int/Double → number,
// Bool → boolean, Bytes → Uint8Array, Address → {host, port}, Reference<Θ> → a Reference tree.
import type { Reference } from '../../src-shared/format/document';
import type { EventType, ValueType } from '../../src-shared/model/types';

const REFERENCE_KINDS = new Set(['primitive', 'composite', 'external', 'parameterized']);

export function isReference(value: unknown): value is Reference {
  return (
    typeof value === 'object' &&
    value !== null &&
    REFERENCE_KINDS.has(String((value as { kind?: unknown }).kind))
  );
}

/** Why `value` does not fit `type`, or undefined when it does. */
export function valueMismatch(type: ValueType, value: unknown): string | undefined {
  if (type.kind === 'reference') return isReference(value) ? undefined : 'expected a reference';
  switch (type.name) {
    case 'String':
    case 'Name':
      return typeof value === 'string' ? undefined : `expected a string (${type.name})`;
    case 'Int':
      return Number.isInteger(value) ? undefined : 'expected an integer (Int)';
    case 'Double':
      return typeof value === 'number' ? undefined : 'expected a number (Double)';
    case 'Bool':
      return typeof value === 'boolean' ? undefined : 'expected a boolean (Bool)';
    case 'Bytes':
      return value instanceof Uint8Array ? undefined : 'expected a Uint8Array (Bytes)';
    case 'Address': {
      const a = value as { host?: unknown; port?: unknown } | null;
      return typeof a === 'object' && a !== null && typeof a.host === 'string' && Number.isInteger(a.port)
        ? undefined
        : 'expected an address {host, port}';
    }
  }
}

/** Why the arguments do not fit the event's parameters, or undefined when they do. */
export function argumentsMismatch(event: EventType, args: readonly unknown[]): string | undefined {
  if (args.length !== event.params.length) {
    return `event '${event.name}' takes ${event.params.length} argument(s) but got ${args.length}`;
  }
  for (let i = 0; i < args.length; i++) {
    const problem = valueMismatch(event.params[i]!, args[i]);
    if (problem) return `argument ${i + 1} of event '${event.name}': ${problem}`;
  }
  return undefined;
}
