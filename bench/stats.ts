// Summaries of repeated measurements. Every figure the bench reports is a Stat, so the JSON always says how many
// samples it rests on and how far they spread.

export interface Stat {
  min: number;
  median: number;
  max: number;
  n: number;
  values: number[];
}

export function summarize(values: number[]): Stat {
  // Infinity is a result (a ratio over zero dials); NaN is not.
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { min: NaN, median: NaN, max: NaN, n: 0, values: [] };
  return { min: sorted[0]!, median: percentile(sorted, 50), max: sorted.at(-1)!, n: sorted.length, values: values.map(round4) };
}

/**
 * Nearest-rank percentile: always a value that was observed. With fewer than 100 samples p99 is the maximum,
 * which is the honest reading of a small sample.
 */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** "median (min–max)" or just the value when every sample agrees. */
export function formatStat(stat: Stat, digits = 2, unit = ""): string {
  if (stat.n === 0) return "n/a";
  const f = (v: number) => formatNumber(v, digits);
  if (stat.n === 1 || stat.min === stat.max) return `${f(stat.median)}${unit}`;
  return `${f(stat.median)}${unit} (${f(stat.min)}–${f(stat.max)})`;
}

export function formatNumber(v: number, digits = 2): string {
  if (v === Infinity) return "∞";
  if (!Number.isFinite(v)) return "n/a";
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  return v.toFixed(digits);
}

function round4(v: number) {
  return Number.isFinite(v) ? Math.round(v * 10_000) / 10_000 : v;
}
