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

/**
 * The highest Jain's index `dials` whole dials can reach over `tenants` equal tenants: each gets ⌊d/n⌋ or ⌈d/n⌉.
 * A window holding few dials per tenant cannot score 1 however fair the order: 3,645 dials over 1,000 tenants
 * (3 or 4 each) reach 0.983 at best. The measure a fairness test compares with, beside any fixed goal.
 */
export function bestJain(dials: number, tenants: number): number {
  if (tenants <= 0 || dials <= 0) return 1;
  const low = Math.floor(dials / tenants);
  const high = dials - low * tenants; // tenants with one more
  return jainIndex([...Array<number>(tenants - high).fill(low), ...Array<number>(high).fill(low + 1)]);
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
