// Why each lead of a page of the lead table waits, in words. Pure: window-state.ts reads the campaign's schedule
// and the platform's hours, this decides per lead, so it is tested on a fixed clock.
import { keyOpening, windowOpen, type ScheduleColumns } from "../dispatch/windows";
import type { CountryRules } from "../rules/windows";

export interface WaitingLead {
  id: bigint;
  status: string;
  windowKey: string;
  holdReason: string | null;
  nextAttemptAt: Date | null;
}

/**
 * A pending lead outside its window says when it opens (local time and zone), a held lead gives its hold reason and
 * until when. Leads that are not waiting are absent. Keyed by lead id.
 */
export function describeLeadWaits(leads: readonly WaitingLead[], campaign: ScheduleColumns | null, rules: CountryRules, now: Date): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of leads) if (l.status === "SCHEDULED" && l.holdReason) out.set(l.id.toString(), `${l.holdReason}${l.nextAttemptAt ? ` (until ${l.nextAttemptAt.toISOString().slice(0, 16).replace("T", " ")} UTC)` : ""}`);
  if (!campaign) return out;
  // Leads sharing a window key share the answer: a page of 25 leads has a handful of keys.
  const byKey = new Map<string, string | null>();
  for (const l of leads) {
    if (l.status !== "PENDING") continue;
    if (!byKey.has(l.windowKey)) byKey.set(l.windowKey, waitsFor(l.windowKey, campaign, rules, now));
    const why = byKey.get(l.windowKey);
    if (why) out.set(l.id.toString(), why);
  }
  return out;
}

function waitsFor(key: string, campaign: ScheduleColumns, rules: CountryRules, now: Date): string | null {
  if (windowOpen(key, campaign, rules, now)) return null;
  const opening = keyOpening(key, campaign, rules, now);
  return opening ? `waits for its calling window: opens ${opening.localTime} ${opening.zone}` : "outside its calling window, which does not open in the next two weeks";
}
