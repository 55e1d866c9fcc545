// How check reasons name the two sides being compared.
import { formatEventType } from './describe';
import type { EventType } from './types';

/** Optional names used in reasons; defaults are the types' display names. */
export interface CheckLabels {
  /** Endpoint name; reasons are then prefixed `endpoint 'NAME': `. */
  readonly endpoint?: string;
  /** Name of the first type (τ1, Θ1), e.g. `note.channel`. */
  readonly left?: string;
  /** Name of the second type (τ2, Θ2). */
  readonly right?: string;
}

export interface Sides {
  readonly prefix: string;
  readonly left: string;
  readonly right: string;
}

const quote = (name: string | undefined): string | undefined =>
  name === undefined || name === '' ? undefined : `'${name}'`;

/** Falls back to neutral words when both sides would read the same. */
export function sides(
  labels: CheckLabels,
  leftName: string,
  rightName: string,
  fallback: readonly [string, string],
): Sides {
  const prefix = labels.endpoint !== undefined ? `endpoint '${labels.endpoint}': ` : '';
  const left = quote(labels.left ?? leftName);
  const right = quote(labels.right ?? rightName);
  if (left === undefined || right === undefined || left === right)
    return { prefix, left: fallback[0], right: fallback[1] };
  return { prefix, left, right };
}

/** `'send(Bytes)'` / `'a()', 'b()'`. */
export function eventList(events: readonly EventType[]): string {
  return events.map((e) => `'${formatEventType(e)}'`).join(', ');
}
