// A datetime-local value ("2025-12-03T09:00", no offset) read in a named zone, and back. The browser's own zone
// and the server's never enter: a campaign in America/Chicago starts at 09:00 Chicago time wherever it was set up.
// Browser-safe (Luxon only), so the forms check with the same code the server converts with.
import { DateTime } from "luxon";
import { instantsOf, zoneOf } from "../rules/zone-time";

// Seconds are accepted (some browsers send them) and dropped: schedules are to the minute.
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,3})?)?$/;
const WITH_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The instant (ISO 8601, UTC) at which `zone`'s wall clock shows `local`; null for a value that is not a date and
 * time, or an unknown zone. A value that already carries an offset or Z (an API client's) is taken as it is.
 * Across DST, as the calling windows read local times (lib/rules/zone-time): a time the clocks skip means the first
 * instant after the gap (02:30 on a 02:00 → 03:00 day is 03:00), a time they repeat means its first occurrence.
 */
export function localDateTimeToIso(local: string, zone: string): string | null {
  const value = local.trim();
  if (WITH_OFFSET.test(value)) {
    const parsed = DateTime.fromISO(value, { setZone: true });
    return parsed.isValid ? parsed.toUTC().toISO() : null;
  }
  const m = LOCAL.exec(value);
  if (!m || !zoneOf(zone)) return null;
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  // Rejects 2025-02-30 and 25:00, which Date.UTC would roll over into the next month or day.
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || check.getUTCHours() !== hour || check.getUTCMinutes() !== minute) return null;
  const [first] = instantsOf(zone, { year, month, day }, hour * 60 + minute);
  return first === undefined ? null : new Date(first).toISOString();
}

/** The datetime-local value ("YYYY-MM-DDTHH:mm") showing `instant` on `zone`'s wall clock: for a form's initial value. */
export function isoToLocalDateTime(instant: string | Date, zone: string): string {
  const ms = typeof instant === "string" ? Date.parse(instant) : instant.getTime();
  return DateTime.fromMillis(ms, { zone: zoneOf(zone) ?? "UTC" }).toFormat("yyyy-MM-dd'T'HH:mm");
}
