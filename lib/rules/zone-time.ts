// Local wall time ↔ instants in IANA zones, through Luxon (never a fixed offset), with the answers cached:
// one Luxon offset lookup costs several microseconds and the scheduler asks the same questions every tick.
import { DateTime, IANAZone } from "luxon";

/** ISO weekday (1 = Monday … 7 = Sunday) and minutes since local midnight (0 … 1439). */
export interface LocalTime { weekday: number; minute: number }
/** A calendar date, zone-free. */
export interface LocalDate { year: number; month: number; day: number }

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
// Wider than any offset change in the tz database (Antarctica/Troll jumps 2 h), so both sides are seen.
const AROUND_MS = 6 * 3_600_000;
// Bounded so a long-running scheduler cannot grow them without limit; refilled on demand after a clear.
const MAX_CACHED = 50_000;

const zones = new Map<string, IANAZone | null>();
const localTimes = new Map<string, LocalTime | null>();
const instants = new Map<string, readonly number[]>();
const shifts = new Map<string, readonly number[]>();

/** The Luxon zone, or null when the name is not a zone this runtime knows. */
export function zoneOf(name: string): IANAZone | null {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = IANAZone.isValidZone(name) ? IANAZone.create(name) : null;
    if (zones.size < MAX_CACHED) zones.set(name, zone);
  }
  return zone;
}

/** Local weekday and minute of `ms` in the zone, to the minute; null for an unknown zone. */
export function localTimeAt(zoneName: string, ms: number): LocalTime | null {
  const minuteMs = Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  const key = `${zoneName}|${minuteMs}`;
  const hit = localTimes.get(key);
  if (hit !== undefined) return hit;
  const zone = zoneOf(zoneName);
  let local: LocalTime | null = null;
  if (zone) {
    const wall = new Date(minuteMs + zone.offset(minuteMs) * MINUTE_MS);
    local = { weekday: isoWeekday(wall.getUTCDay()), minute: wall.getUTCHours() * 60 + wall.getUTCMinutes() };
  }
  remember(localTimes, key, local);
  return local;
}

/** The calendar date in the zone at `ms`. */
export function localDateAt(zoneName: string, ms: number): LocalDate | null {
  const zone = zoneOf(zoneName);
  if (!zone) return null;
  const local = DateTime.fromMillis(ms, { zone });
  return { year: local.year, month: local.month, day: local.day };
}

/** `date` moved by whole days (calendar arithmetic, the same in every zone), with its ISO weekday. */
export function addDays(date: LocalDate, days: number): LocalDate & { weekday: number } {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate(), weekday: isoWeekday(moved.getUTCDay()) };
}

/**
 * The instants at which the zone's wall clock shows `minute` on `date`, earliest first: one normally, two in a
 * repeated fall-back hour, and for a time skipped by a spring-forward gap the first instant after the gap
 * (02:30 on a day that jumps 02:00 → 03:00 gives 03:00), which is when a window starting at 02:30 really opens.
 */
export function instantsOf(zoneName: string, date: LocalDate, minute: number): readonly number[] {
  const key = `${zoneName}|${date.year}-${date.month}-${date.day}|${minute}`;
  const hit = instants.get(key);
  if (hit) return hit;
  const zone = zoneOf(zoneName);
  let found: number[] = [];
  if (zone) {
    const hour = Math.floor(minute / 60);
    const wanted = { year: date.year, month: date.month, day: date.day, hour, minute: minute % 60 };
    const luxon = DateTime.fromObject(wanted, { zone });
    if (luxon.hour === hour && luxon.minute === minute % 60) {
      // Luxon gives one reading of an ambiguous time; the other offset next to it may give a second one.
      const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute % 60);
      const offsets = new Set([luxon.offset, zone.offset(luxon.toMillis() - AROUND_MS), zone.offset(luxon.toMillis() + AROUND_MS)]);
      found = [...offsets].filter((offset) => zone.offset(wall - offset * MINUTE_MS) === offset).map((offset) => wall - offset * MINUTE_MS);
      if (found.length === 0) found = [luxon.toMillis()];
    } else {
      // Luxon pushes a skipped time forward by the size of the gap; the gap itself ends earlier.
      found = [shiftBefore(zone, luxon.toMillis() - AROUND_MS, luxon.toMillis())];
    }
    found.sort((a, b) => a - b);
  }
  remember(instants, key, found);
  return found;
}

/** Instants on or next to the local `date` at which the zone's offset changes (DST starts or ends). */
export function offsetShiftsOn(zoneName: string, date: LocalDate): readonly number[] {
  const key = `${zoneName}|${date.year}-${date.month}-${date.day}`;
  const hit = shifts.get(key);
  if (hit) return hit;
  const zone = zoneOf(zoneName);
  const found: number[] = [];
  if (zone) {
    // The local day lies somewhere in this span whatever the zone's offset (UTC−12 … UTC+14).
    const from = Date.UTC(date.year, date.month - 1, date.day) - 15 * 3_600_000;
    const to = from + DAY_MS + 30 * 3_600_000;
    // Offsets change at most twice a year, so sampling every 6 h cannot hide two changes between samples.
    for (let lo = from; lo < to; lo += AROUND_MS) {
      const hi = Math.min(lo + AROUND_MS, to);
      if (zone.offset(lo) !== zone.offset(hi)) found.push(shiftBefore(zone, lo, hi));
    }
  }
  remember(shifts, key, found);
  return found;
}

/** "HH:mm" of `ms` on the zone's wall clock. */
export function wallClock(zoneName: string, ms: number): string {
  const zone = zoneOf(zoneName);
  return DateTime.fromMillis(ms, { zone: zone ?? "UTC" }).toFormat("HH:mm");
}

// The first minute in (lo, hi] with the offset found at hi; the caller knows the offset changes in between.
function shiftBefore(zone: IANAZone, lo: number, hi: number): number {
  const after = zone.offset(hi);
  let low = Math.floor(lo / MINUTE_MS);
  let high = Math.ceil(hi / MINUTE_MS);
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (zone.offset(mid * MINUTE_MS) === after) high = mid;
    else low = mid;
  }
  return high * MINUTE_MS;
}

function isoWeekday(jsDay: number): number {
  return jsDay === 0 ? 7 : jsDay;
}

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
}
