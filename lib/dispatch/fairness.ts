// Fairness measures for dispatch tests, benchmarks and the admin dashboard.

/** Jain's fairness index (Σx)² / (n·Σx²): 1 when everyone got the same, 1/n when one got everything. */
export function jainIndex(values: number[]): number {
  let sum = 0;
  let squares = 0;
  for (const v of values) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`jainIndex: values must be finite and non-negative, got ${v}`);
    sum += v;
    squares += v * v;
  }
  // No values, or only zeros: nobody was favoured, and 0/0 is no answer.
  if (squares === 0) return 1;
  // Rounding can land a hair above 1 for equal values.
  return Math.min(1, (sum * sum) / (values.length * squares));
}

/** Jain's index over share / weight: 1 when every tenant got exactly its weighted share. */
export function weightedJain(shares: number[], weights: number[]): number {
  if (shares.length !== weights.length) {
    throw new RangeError(`weightedJain: ${shares.length} shares but ${weights.length} weights`);
  }
  return jainIndex(
    shares.map((share, i) => {
      const weight = weights[i];
      if (!Number.isFinite(weight) || weight <= 0) throw new RangeError(`weightedJain: weights must be positive, got ${weight}`);
      return share / weight;
    }),
  );
}
