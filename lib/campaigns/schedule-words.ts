// Calling schedules and platform hours as a person reads them: "Mon–Fri, 09:00–17:00 lead's local time; starts
// 3 Dec 09:00 America/Chicago". English, 24-hour times for the schedule (as it is entered), am/pm for the
// platform's hours (as the law states them). Pure and browser-safe.
import { DateTime } from "luxon";
import { zoneOf } from "../rules/zone-time";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

export interface ScheduleView {
  timezone: string;
  days: number[];
  start: string | null;
  end: string | null;
  /** ISO instants or Dates, as stored. */
  startAt: string | Date | null;
  endAt: string | Date | null;
}

/** "Mon–Fri, 09:00–17:00 lead's local time; starts 3 Dec 09:00 America/Chicago; stops 20 Dec 17:00 America/Chicago". */
export function describeSchedule(s: ScheduleView, now = new Date()): string {
  const hours = s.start && s.end ? `${s.start}–${s.end} lead's local time` : "all day";
  const parts = [`${capitalise(formatDays(s.days))}, ${hours}`];
  if (s.startAt) parts.push(`${past(s.startAt, now) ? "started" : "starts"} ${formatInZone(s.startAt, s.timezone, now)}`);
  if (s.endAt) parts.push(`${past(s.endAt, now) ? "stopped" : "stops"} ${formatInZone(s.endAt, s.timezone, now)}`);
  return parts.join("; ");
}

/** ISO weekdays, runs of three or more joined: [1,2,3,4,5] → "Mon–Fri", [6,7] → "Sat, Sun", all seven → "every day". */
export function formatDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (sorted.length === 7) return "every day";
  if (sorted.length === 0) return "no day";
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const run = sorted.slice(i, j + 1).map((d) => WEEKDAYS[d - 1]!);
    parts.push(run.length >= 3 ? `${run[0]}–${run[run.length - 1]}` : run.join(", "));
    i = j + 1;
  }
  return parts.join(", ");
}

/** "3 Dec 09:00 America/Chicago" on the zone's wall clock; the year only when it is not the current one there. */
export function formatInZone(instant: string | Date, zone: string, now = new Date()): string {
  const z = zoneOf(zone) ?? "UTC";
  const at = DateTime.fromMillis(toMs(instant), { zone: z });
  const thisYear = DateTime.fromMillis(now.getTime(), { zone: z }).year;
  return `${at.toFormat(at.year === thisYear ? "d LLL HH:mm" : "d LLL yyyy HH:mm", { locale: "en-GB" })} ${zone}`;
}

/** "in 45 min", "in 3 h", "in 2 h 30 min", "in 2 d 4 h"; "now" for what is due. */
export function formatFromNow(instant: string | Date, now: Date | number): string {
  const minutes = Math.ceil((toMs(instant) - (typeof now === "number" ? now : now.getTime())) / 60_000);
  if (minutes <= 0) return "now";
  if (minutes < 60) return `in ${minutes} min`;
  const h = Math.floor(minutes / 60);
  if (h < 24) return minutes % 60 && h < 10 ? `in ${h} h ${minutes % 60} min` : `in ${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `in ${d} d ${h % 24} h` : `in ${d} d`;
}

/**
 * The platform's calling hours, countries with the same hours together: "CA, US: 8 am–9 pm local time;
 * FR: Mon–Fri 10 am–1 pm and 2 pm–8 pm local time". Null when no country has platform hours.
 */
export function describeCallingHours(rules: readonly { country: string; intervals: readonly { days: number[]; start: string; end: string }[] }[]): string | null {
  const byHours = new Map<string, string[]>();
  for (const rule of rules) {
    const hours = rule.intervals.length === 0 ? "no calls at any time" : `${groupByDays(rule.intervals)} local time`;
    byHours.set(hours, [...(byHours.get(hours) ?? []), rule.country]);
  }
  if (byHours.size === 0) return null;
  return [...byHours].map(([hours, countries]) => `${countries.join(", ")}: ${hours}`).join("; ");
}

/** "08:00" → "8 am", "13:30" → "1:30 pm", "12:00" → "noon", "00:00" and "24:00" → "midnight". */
export function formatAmPm(time: string): string {
  const [h, m] = time.split(":").map(Number) as [number, number];
  if ((h === 0 || h === 24) && m === 0) return "midnight";
  if (h === 12 && m === 0) return "noon";
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  return `${hour12}${m ? `:${String(m).padStart(2, "0")}` : ""} ${h < 12 ? "am" : "pm"}`;
}

// Intervals sharing their days read as one clause: "Mon–Fri 10 am–1 pm and 2 pm–8 pm"; every day goes unsaid.
function groupByDays(intervals: readonly { days: number[]; start: string; end: string }[]): string {
  const groups = new Map<string, string[]>();
  for (const i of intervals) {
    const days = formatDays(i.days);
    groups.set(days, [...(groups.get(days) ?? []), `${formatAmPm(i.start)}–${formatAmPm(i.end)}`]);
  }
  return [...groups].map(([days, spans]) => `${days === "every day" ? "" : `${days} `}${spans.join(" and ")}`).join(", ");
}

function capitalise(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function past(instant: string | Date, now: Date) {
  return toMs(instant) <= now.getTime();
}

function toMs(instant: string | Date) {
  return typeof instant === "string" ? Date.parse(instant) : instant.getTime();
}
