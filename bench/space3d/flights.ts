// Flights references for the `space3d` scenario: `liveobjects.flights(channel, count, seed,
// rateHz)` over a fresh group, written like the host's `create` writes them (src-main/host/mint.ts),
// but with the benchmark's count and rate.
import { writeLiveObject } from '../../src-shared/format';
import type { Param } from '../../src-shared/format/document';
import { freshGroupName, portableStreamReference } from '../../src-main/host/mint';

/** The host's limit on aircraft per flights object (FLIGHTS_LIMITS.maxCount). */
const MAX_FLIGHTS_PER_OBJECT = 1000;

export function flightsReference(count: number, rateHz: number, seed: number): string {
  const params: Param[] = [
    { name: 'count', value: { kind: 'value', value: { type: 'int', value: count } } },
    { name: 'seed', value: { kind: 'value', value: { type: 'int', value: seed } } },
    { name: 'rateHz', value: { kind: 'value', value: { type: 'double', value: rateHz } } },
  ];
  const group = freshGroupName('flights');
  return writeLiveObject({
    meta: { title: `Bench flights ×${count}` },
    types: [],
    reference: portableStreamReference('liveobjects.flights', group, params),
  });
}

/** N aircraft as few flights objects as the per-object limit allows, split evenly. */
export function splitCounts(total: number): number[] {
  const parts = Math.ceil(total / MAX_FLIGHTS_PER_OBJECT);
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}
