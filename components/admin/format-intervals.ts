// Calling-hours intervals as a person reads them: "Mon–Fri 10:00–13:00; Sat 10:00–12:00".
export type IntervalView = { days: number[]; start: string; end: string };

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

export function formatIntervals(intervals: readonly IntervalView[]): string {
  if (intervals.length === 0) return "never (closed)";
  return intervals.map((i) => `${formatDays(i.days)} ${i.start}–${i.end}`).join("; ");
}

/** ISO weekdays, runs of three or more joined: [1,2,3,4,5] → "Mon–Fri", [1,3] → "Mon, Wed". */
export function formatDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return "every day";
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const run = sorted.slice(i, j + 1).map((d) => WEEKDAYS[d - 1] ?? `day ${d}`);
    parts.push(run.length >= 3 ? `${run[0]}–${run[run.length - 1]}` : run.join(", "));
    i = j + 1;
  }
  return parts.join(", ");
}
