// "Why isn't it dialing?" for one campaign, in one sentence, from its live snapshot and its schedule. Pure and
// browser-safe: the campaign page re-evaluates it on every snapshot and as the clock moves.
import { DateTime } from "luxon";
import { zoneOf } from "../rules/zone-time";
import type { CampaignProgress } from "./progress";
import { formatFromNow, formatInZone } from "./schedule-words";

type Snapshot = Pick<CampaignProgress, "status" | "counts" | "total" | "window" | "nextRetryAt">;
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
  if (c.SCHEDULED > 0) return "Every remaining lead is a scheduled retry; calls resume when the first is due.";
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
