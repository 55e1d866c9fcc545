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

export const median = (values: readonly number[]): number | null => percentile(values, 50);
