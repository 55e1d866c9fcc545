// Summary statistics over measured values; unknown values (null) are left out.

const known = (values: readonly (number | null)[] | undefined): number[] =>
  (values ?? []).filter((v): v is number => v !== null);

export function meanOf(values: readonly (number | null)[] | undefined): number | null {
  const k = known(values);
  return k.length > 0 ? k.reduce((a, b) => a + b, 0) / k.length : null;
}

export function minOf(values: readonly (number | null)[] | undefined): number | null {
  const k = known(values);
  return k.length > 0 ? Math.min(...k) : null;
}

export function maxOf(values: readonly (number | null)[] | undefined): number | null {
  const k = known(values);
  return k.length > 0 ? Math.max(...k) : null;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

export const median = (values: readonly (number | null)[] | undefined): number | null =>
  percentile(known(values), 50);

export function sumOf(values: readonly (number | null)[] | undefined): number | null {
  const k = known(values);
  return k.length > 0 ? k.reduce((a, b) => a + b, 0) : null;
}

/** Round-by-round ratios of paired measurements (value i against baseline i, measured close
 * together), and their median: on a machine whose speed drifts, pairing cancels the drift
 * that a ratio of medians over separate runs keeps. Rounds missing either side are null. */
export function pairedRatios(
  values: readonly (number | null | undefined)[],
  baselines: readonly (number | null | undefined)[],
): { readonly ratios: (number | null)[]; readonly median: number | null } {
  const ratios = values.map((v, i) => {
    const b = baselines[i];
    return v !== null && v !== undefined && b !== null && b !== undefined && b > 0 ? v / b : null;
  });
  return { ratios, median: median(ratios) };
}
