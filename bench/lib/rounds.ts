// Interleaved rounds of engine runs, for a machine whose speed drifts: every variant is
// measured once per round (a, b, c, a, b, c, …), and a figure is its median over the rounds.
import { errorText } from '../../src-shared/util/error-text';
import type { EngineResult } from './engine-nodes';
import { median } from './stats';

/** Per variant, each round's result (undefined where that round failed), in round order. */
export type RoundResults<K> = Map<K, (EngineResult | undefined)[]>;

/** Runs `measure` for every variant in every round. A variant's problems and failures go to
 * `errors` (labelled, with the round when there are several); its method, from the first
 * round, to `notes`. */
export async function measureRounds<K>(
  variants: readonly K[],
  rounds: number,
  label: (variant: K) => string,
  measure: (variant: K, tag: string) => Promise<EngineResult>,
  out: { readonly errors: string[]; readonly notes: string[] },
): Promise<RoundResults<K>> {
  const results: RoundResults<K> = new Map(variants.map((v) => [v, []]));
  for (let round = 1; round <= rounds; round++) {
    const tag = rounds > 1 ? ` (round ${round} of ${rounds})` : '';
    for (const v of variants) {
      const slot = results.get(v)!;
      slot.push(undefined);
      try {
        const r = await measure(v, tag);
        slot[round - 1] = r;
        for (const p of r.problems) out.errors.push(`${label(v)}${tag}: ${p}`);
        if (round === 1) out.notes.push(`${label(v)}: ${r.method}`);
      } catch (err) {
        out.errors.push(`${label(v)}${tag}: ${errorText(err)}`);
      }
    }
  }
  return results;
}

/** One figure of each round's run (null where the round failed or the figure is unknown). */
export function perRound(
  runs: readonly (EngineResult | undefined)[] | undefined,
  get: (r: EngineResult) => number | null,
): (number | null)[] {
  return (runs ?? []).map((r) => (r ? get(r) : null));
}

/** The median of a figure over the rounds. */
export const medianOver = (
  runs: readonly (EngineResult | undefined)[] | undefined,
  get: (r: EngineResult) => number | null,
): number | null => median(perRound(runs, get));

/** The host's steal during a run, percent of the machine's CPU time (null if unknown). */
export const stealPercent = (r: EngineResult): number | null =>
  r.machineCpu ? r.machineCpu.steal * 100 : null;

/** Round by round, the host's steal during a run and during its baseline run (percent of
 * the machine's CPU time, `a/b`), for a note: a round whose ratio stands out can be checked
 * against what the host took from either. Empty when /proc/stat was not readable. */
export function stealByRound(
  runs: readonly (EngineResult | undefined)[] | undefined,
  baseline: readonly (EngineResult | undefined)[] | undefined,
): string {
  const a = perRound(runs, stealPercent);
  const b = perRound(baseline, stealPercent);
  if (![...a, ...b].some((x) => x !== null)) return '';
  const pct = (x: number | null | undefined): string =>
    x === null || x === undefined ? 'n/a' : x.toFixed(1);
  return a.map((x, i) => `${pct(x)}/${pct(b[i])}`).join(', ');
}
