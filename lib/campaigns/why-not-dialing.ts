// "Why isn't it dialing?" for one campaign, in one sentence, from its live snapshot and its schedule. Pure and
// browser-safe: the campaign page re-evaluates it on every snapshot and as the clock moves.
import { DateTime } from "luxon";
import { frequencyCapped, frequencyCapWords, type HeldLeads } from "../rules/holds";
import { zoneOf } from "../rules/zone-time";
import type { CampaignProgress } from "./progress";
import { formatFromNow, formatInZone } from "./schedule-words";

type Snapshot = Pick<CampaignProgress, "status" | "counts" | "total" | "window" | "nextRetryAt" | "held">;
type Opening = NonNullable<NonNullable<CampaignProgress["window"]>["nextOpening"]>;

export interface CampaignTimes {
  timezone: string;
  startAt: string | null;
  endAt: string | null;
}

/** Beyond this the opening's weekday is named: "08:00" alone would read as today's. */
const NAME_THE_DAY_MS = 20 * 3_600_000;

/** "12 leads wait for their calling window; the next opens at 08:00 America/Chicago (in 3 h)." Null when none wait. */
export function windowWaiting(p: Snapshot, now: number): string | null {
  const waiting = p.window?.outside ?? 0;
  if (waiting === 0) return null;
  const leads = `${count(waiting)} ${waiting === 1 ? "lead waits" : "leads wait"} for ${waiting === 1 ? "its" : "their"} calling window`;
  const opening = p.window?.nextOpening;
  return opening ? `${leads}; the next opens at ${openingText(opening, now)}.` : `${leads}; none opens again under the current schedule.`;
}

/**
 * "2 leads are at their frequency cap (3 calls per 24 h); the first becomes dialable at 1 Dec 14:05 America/Chicago
 * (in 3 h). 1 lead waits while another of your campaigns calls its number." Null when none is held.
 */
export function heldWaiting(p: Snapshot, times: CampaignTimes, now: number): string | null {
  const held = p.held;
  if (!held) return null;
  const capped = frequencyCapped(held);
  const parts: string[] = [];
  if (capped > 0) {
    const release = held.nextCapReleaseAt ? `; the first becomes dialable at ${formatInZone(held.nextCapReleaseAt, times.timezone, new Date(now))} (${formatFromNow(held.nextCapReleaseAt, now)})` : "";
    parts.push(`${count(capped)} ${capped === 1 ? "lead is at its" : "leads are at their"} frequency cap (${frequencyCapWords(held)})${release}.`);
  }
  const busy = held.numberInUse;
  if (busy > 0) parts.push(`${count(busy)} ${busy === 1 ? "lead waits while another of your campaigns calls its number" : "leads wait while another of your campaigns calls their numbers"}.`);
  return parts.length > 0 ? parts.join(" ") : null;
}

/**
 * What every remaining (scheduled) lead is, when some are at a frequency cap: "at its frequency cap (3 calls per
 * 24 h)", or "a scheduled retry or at its frequency cap (…)" when plain retries wait too. Null when none is capped.
 * Shared by the campaign page and the dashboard.
 */
export function heldBackWords(held: HeldLeads, retries: number): string | null {
  if (frequencyCapped(held) === 0) return null;
  return `${retries > 0 ? "a scheduled retry or " : ""}at its frequency cap (${frequencyCapWords(held)})`;
}

/** "at its limit of 10 concurrent calls": the tenant's cap on calls in flight, which "at cap" means. */
export function concurrentLimitWords(limit: number): string {
  return `at its limit of ${count(limit)} concurrent ${limit === 1 ? "call" : "calls"}`;
}

/** Why nothing is being dialed, or null when calls are going out (or about to), or the campaign is over. */
export function whyNotDialing(p: Snapshot, times: CampaignTimes, now: number): string | null {
  if (p.total === 0 || p.status === "COMPLETED" || p.status === "CANCELLED") return null;
  const c = p.counts;
  const callable = c.PENDING + c.SCHEDULED + c.QUEUED + c.DIALING;
  if (callable === 0 && c.SUPPRESSED > 0) return "Nothing to dial: all remaining leads are on a do-not-call list.";
  const at = (iso: string) => formatInZone(iso, times.timezone, new Date(now));
  const startsLater = times.startAt !== null && Date.parse(times.startAt) > now;
  switch (p.status) {
    case "DRAFT":
      return startsLater ? `Not started yet; once started, it dials from ${at(times.startAt!)}.` : "Not started yet: start the campaign to begin dialing.";
    case "PAUSED":
      if (times.endAt !== null && Date.parse(times.endAt) <= now) {
        return `Paused by its automatic stop at ${at(times.endAt)}; move the stop later (or remove it) to resume.`;
      }
      return "Paused: no new calls start until you resume it.";
    case "RUNNING":
      break;
  }
  if (c.QUEUED + c.DIALING > 0 || (p.window?.inside ?? 0) > 0) return null;
  if (startsLater) return `Scheduled to start at ${at(times.startAt!)} (${formatFromNow(times.startAt!, now)}).`;
  if ((p.window?.outside ?? 0) > 0) {
    const opening = p.window?.nextOpening;
    return opening ? `Outside every lead's calling window until ${openingText(opening, now)}.` : "Outside every lead's calling window, and none opens again under the current schedule.";
  }
  if (c.SCHEDULED > 0) {
    const held = p.held;
    const next = p.nextRetryAt ? `; the next becomes dialable at ${at(p.nextRetryAt)} (${formatFromNow(p.nextRetryAt, now)})` : "";
    const capped = held && heldBackWords(held, c.SCHEDULED - frequencyCapped(held) - held.numberInUse);
    if (capped) return `Every remaining lead is ${capped}${next}.`;
    if (held && held.numberInUse === c.SCHEDULED) return "Another of your campaigns is calling the number of every remaining lead; each is tried again within a minute.";
    return "Every remaining lead is a scheduled retry; calls resume when the first is due.";
  }
  return null;
}

/** "08:00 America/Chicago (in 3 h)", or "Tue 08:00 America/Chicago (in 2 d 1 h)" when it is not within the day. */
function openingText(o: Opening, now: number): string {
  const day = Date.parse(o.at) - now > NAME_THE_DAY_MS ? `${DateTime.fromISO(o.at, { zone: zoneOf(o.zone) ?? "UTC" }).toFormat("ccc", { locale: "en-GB" })} ` : "";
  return `${day}${o.localTime} ${o.zone} (${formatFromNow(o.at, now)})`;
}

function count(n: number) {
  return n.toLocaleString("en-US");
}
