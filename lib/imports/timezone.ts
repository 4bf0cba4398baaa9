// IANA time zones as written in a lead file ("america/new_york", "UTC") to their canonical spelling.
// A file has a handful of distinct zones and a million rows, so answers are cached.

const MAX_CACHED = 1000;
const cache = new Map<string, string | null>();

/** The canonical IANA name, or null when the runtime does not know the zone. */
export function canonicalTimeZone(value: string): string | null {
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  let zone: string | null;
  try {
    zone = new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    zone = null; // RangeError: not a time zone
  }
  // Bounded so a column of garbage cannot grow the cache without limit.
  if (cache.size < MAX_CACHED) cache.set(value, zone);
  return zone;
}
