// When a lead may be called: open in every one of its zones under both the destination country's platform rule
// and the campaign's own schedule, inside the campaign's run. Pure: the caller passes the clock and the rules.
import { intervalSchema } from "./schema";
import { addDays, instantsOf, localDateAt, localTimeAt, offsetShiftsOn, wallClock, type LocalTime } from "./zone-time";

/** ISO weekday 1 = Monday … 7 = Sunday; start/end "HH:mm" local wall time, end exclusive, start < end, end may be "24:00". */
export interface Interval { days: number[]; start: string; end: string }
/** Platform defaults per destination country (ISO alpha-2). A country with no entry has no platform restriction. */
export type CountryRules = ReadonlyMap<string, readonly Interval[]>;
/** A campaign's own schedule, in each lead's local time; null start/end = all day on the listed days. startAt/endAt are instants (scheduled start, automatic stop). */
export interface CampaignSchedule { days: number[]; start: string | null; end: string | null; startAt: Date | null; endAt: Date | null }
export interface LeadWindow { country: string; zones: string[] }

/** Every day, all day, no scheduled start or stop. */
export const ALWAYS: CampaignSchedule = Object.freeze({ days: Object.freeze([1, 2, 3, 4, 5, 6, 7]) as number[], start: null, end: null, startAt: null, endAt: null });

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DEFAULT_HORIZON_DAYS = 14;
// A far-off horizon still has to end: past a year the answer is "not in any useful time" anyway.
const MAX_HORIZON_DAYS = 400;
const parsedTimes = new Map<string, number>();

/**
 * Open now in every one of the lead's zones under the tighter of the country rule and the campaign schedule,
 * and inside [startAt, endAt). A lead with no zone at all (imported before zones were recorded) cannot be placed
 * in local time, so neither the country rule nor the schedule's hours can be evaluated for it: it counts as open
 * whenever the campaign runs. A zone the runtime does not know is never open (fail closed, not a guess).
 */
export function isDialable(lead: LeadWindow, schedule: CampaignSchedule, rules: CountryRules, now: Date): boolean {
  return openAt(lead, schedule, rules.get(lead.country.toUpperCase()), now.getTime());
}

/**
 * The first instant ≥ now at which isDialable is true, or null. The search covers `horizonDays` from the later
 * of now and startAt, so a campaign scheduled to start in three weeks still gets an answer.
 */
export function nextDialable(lead: LeadWindow, schedule: CampaignSchedule, rules: CountryRules, now: Date, horizonDays = DEFAULT_HORIZON_DAYS): Date | null {
  const at = search(lead, schedule, rules.get(lead.country.toUpperCase()), now.getTime(), horizonDays);
  return at === null ? null : new Date(at);
}

/**
 * When and where the lead opens next, for the "why isn't it dialing" sentence. `zone` is the zone that opens
 * last (the one closed a minute earlier), or the first zone when the opening is the campaign's startAt or now.
 * A lead without zones is reported in UTC.
 */
export function nextOpening(lead: LeadWindow, schedule: CampaignSchedule, rules: CountryRules, now: Date): { at: Date; zone: string; localTime: string } | null {
  const intervals = rules.get(lead.country.toUpperCase());
  const at = search(lead, schedule, intervals, now.getTime(), DEFAULT_HORIZON_DAYS);
  if (at === null) return null;
  const zone = lead.zones.find((name) => !openIn(name, at - MINUTE_MS, intervals, schedule)) ?? lead.zones[0] ?? "UTC";
  return { at: new Date(at), zone, localTime: wallClock(zone, at) };
}

/** A human-readable problem with the interval, or null when it is valid. */
export function validateInterval(i: Interval): string | null {
  const result = intervalSchema.safeParse(i);
  if (result.success) return null;
  return [...new Set(result.error.issues.map((issue) => issue.message))].join("; ");
}

function openAt(lead: LeadWindow, schedule: CampaignSchedule, intervals: readonly Interval[] | undefined, ms: number): boolean {
  if (schedule.startAt && ms < schedule.startAt.getTime()) return false;
  if (schedule.endAt && ms >= schedule.endAt.getTime()) return false;
  for (const zone of lead.zones) if (!openIn(zone, ms, intervals, schedule)) return false;
  return true;
}

function openIn(zone: string, ms: number, intervals: readonly Interval[] | undefined, schedule: CampaignSchedule): boolean {
  const local = localTimeAt(zone, ms);
  if (!local) return false;
  if (!schedule.days.includes(local.weekday)) return false;
  if (!contains(schedule.start ?? "00:00", schedule.end ?? "24:00", local.minute)) return false;
  return intervals === undefined || intervals.some((interval) => covers(interval, local));
}

// The earliest open instant is now/startAt, or a moment some zone opens: an interval start (country or schedule)
// on its wall clock, or a DST shift that moves its wall clock into an open interval. Those are the only
// candidates, tried in time order; each is checked against every zone.
function search(lead: LeadWindow, schedule: CampaignSchedule, intervals: readonly Interval[] | undefined, now: number, horizonDays: number): number | null {
  const from = Math.max(now, schedule.startAt?.getTime() ?? now);
  // Exclusive: endAt itself is closed, the horizon's last instant is still searched.
  const end = Math.min(schedule.endAt?.getTime() ?? Infinity, from + Math.min(horizonDays, MAX_HORIZON_DAYS) * DAY_MS + 1);
  if (from >= end) return null;
  if (openAt(lead, schedule, intervals, from)) return from;
  const candidates = new Set<number>();
  for (const zone of lead.zones) openingsIn(zone, intervals, schedule, from, end, candidates);
  const ordered = [...candidates].filter((at) => at > from && at < end).sort((a, b) => a - b);
  return ordered.find((at) => openAt(lead, schedule, intervals, at)) ?? null;
}

function openingsIn(zone: string, intervals: readonly Interval[] | undefined, schedule: CampaignSchedule, from: number, end: number, into: Set<number>): void {
  const first = localDateAt(zone, from);
  if (!first) return;
  const days = Math.ceil((end - from) / DAY_MS);
  for (let offset = 0; offset <= days; offset++) {
    const date = addDays(first, offset);
    const starts = new Set<number>();
    if (schedule.days.includes(date.weekday)) starts.add(minutes(schedule.start ?? "00:00"));
    for (const interval of intervals ?? []) if (interval.days.includes(date.weekday)) starts.add(minutes(interval.start));
    for (const start of starts) if (Number.isFinite(start) && start < 1440) for (const at of instantsOf(zone, date, start)) into.add(at);
    for (const at of offsetShiftsOn(zone, date)) into.add(at);
  }
}

function covers(interval: Interval, local: LocalTime): boolean {
  return interval.days.includes(local.weekday) && contains(interval.start, interval.end, local.minute);
}

// A malformed time parses to NaN, which no minute is inside: a broken interval never opens anything.
function contains(start: string, end: string, minute: number): boolean {
  return minutes(start) <= minute && minute < minutes(end);
}

function minutes(hhmm: string): number {
  let value = parsedTimes.get(hhmm);
  if (value === undefined) {
    const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
    const hours = match ? Number(match[1]) : NaN;
    const mins = match ? Number(match[2]) : NaN;
    value = hours < 24 && mins < 60 ? hours * 60 + mins : hours === 24 && mins === 0 ? 1440 : NaN;
    if (parsedTimes.size < 10_000) parsedTimes.set(hhmm, value);
  }
  return value;
}
