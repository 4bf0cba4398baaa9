import { describe, expect, it } from "vitest";
import type { CampaignProgress } from "./progress";
import { LEAD_STATUSES } from "./schema";
import { whyNotDialing, windowWaiting, type CampaignTimes } from "./why-not-dialing";

const now = Date.parse("2026-12-01T11:00:00Z"); // 05:00 in Chicago
const open: CampaignTimes = { timezone: "America/Chicago", startAt: null, endAt: null };

function snapshot(status: CampaignProgress["status"], counts: Partial<CampaignProgress["counts"]>, window: CampaignProgress["window"] = null) {
  const all = Object.fromEntries(LEAD_STATUSES.map((s) => [s, counts[s] ?? 0])) as CampaignProgress["counts"];
  return { status, counts: all, total: Object.values(all).reduce((a, b) => a + b, 0), window, nextRetryAt: null };
}

const chicagoAt8 = { at: "2026-12-01T14:00:00.000Z", zone: "America/Chicago", localTime: "08:00" };

describe("windowWaiting", () => {
  it("counts the leads outside their window and says when and where the next one opens", () => {
    const p = snapshot("RUNNING", { PENDING: 1200 }, { inside: 0, outside: 1200, nextOpening: chicagoAt8 });
    expect(windowWaiting(p, now)).toBe("1,200 leads wait for their calling window; the next opens at 08:00 America/Chicago (in 3 h).");
    const one = snapshot("RUNNING", { PENDING: 1 }, { inside: 0, outside: 1, nextOpening: { at: "2026-12-02T14:00:00.000Z", zone: "America/Chicago", localTime: "08:00" } });
    expect(windowWaiting(one, now)).toBe("1 lead waits for its calling window; the next opens at Wed 08:00 America/Chicago (in 1 d 3 h).");
  });

  it("says nothing when no lead waits, and says so when no window opens again", () => {
    expect(windowWaiting(snapshot("RUNNING", { PENDING: 5 }, { inside: 5, outside: 0, nextOpening: null }), now)).toBeNull();
    expect(windowWaiting(snapshot("COMPLETED", { COMPLETED: 5 }), now)).toBeNull();
    expect(windowWaiting(snapshot("RUNNING", { PENDING: 2 }, { inside: 0, outside: 2, nextOpening: null }), now)).toBe("2 leads wait for their calling window; none opens again under the current schedule.");
  });
});

describe("whyNotDialing", () => {
  it("is silent while calls go out or are about to, and once the campaign is over", () => {
    expect(whyNotDialing(snapshot("RUNNING", { PENDING: 3, DIALING: 2 }, { inside: 0, outside: 3, nextOpening: chicagoAt8 }), open, now)).toBeNull();
    expect(whyNotDialing(snapshot("RUNNING", { PENDING: 3 }, { inside: 1, outside: 2, nextOpening: chicagoAt8 }), open, now)).toBeNull();
    expect(whyNotDialing(snapshot("COMPLETED", { COMPLETED: 3 }), open, now)).toBeNull();
    expect(whyNotDialing(snapshot("CANCELLED", { CANCELLED: 3, SUPPRESSED: 1 }), open, now)).toBeNull();
  });

  it("says the campaign is paused, or stopped by its automatic stop", () => {
    expect(whyNotDialing(snapshot("PAUSED", { PENDING: 3 }), open, now)).toBe("Paused: no new calls start until you resume it.");
    expect(whyNotDialing(snapshot("PAUSED", { PENDING: 3 }), { ...open, endAt: "2026-12-01T10:00:00.000Z" }, now)).toBe(
      "Paused by its automatic stop at 1 Dec 04:00 America/Chicago; move the stop later (or remove it) to resume.",
    );
  });

  it("says when a scheduled start is still ahead", () => {
    const times = { ...open, startAt: "2026-12-03T15:00:00.000Z" };
    expect(whyNotDialing(snapshot("RUNNING", { PENDING: 3 }, { inside: 0, outside: 3, nextOpening: null }), times, now)).toBe("Scheduled to start at 3 Dec 09:00 America/Chicago (in 2 d 4 h).");
    expect(whyNotDialing(snapshot("DRAFT", { PENDING: 3 }), times, now)).toBe("Not started yet; once started, it dials from 3 Dec 09:00 America/Chicago.");
    expect(whyNotDialing(snapshot("DRAFT", { PENDING: 3 }), open, now)).toBe("Not started yet: start the campaign to begin dialing.");
  });

  it("says every lead is outside its window until the next opening", () => {
    const p = snapshot("RUNNING", { PENDING: 40, COMPLETED: 10 }, { inside: 0, outside: 40, nextOpening: chicagoAt8 });
    expect(whyNotDialing(p, open, now)).toBe("Outside every lead's calling window until 08:00 America/Chicago (in 3 h).");
    expect(whyNotDialing({ ...p, window: { inside: 0, outside: 40, nextOpening: null } }, open, now)).toBe("Outside every lead's calling window, and none opens again under the current schedule.");
  });

  it("says when all that is left are retries, or numbers on a do-not-call list", () => {
    expect(whyNotDialing(snapshot("RUNNING", { SCHEDULED: 2, COMPLETED: 4 }), open, now)).toBe("Every remaining lead is a scheduled retry; calls resume when the first is due.");
    expect(whyNotDialing(snapshot("RUNNING", { SUPPRESSED: 2, COMPLETED: 4 }), open, now)).toBe("Nothing to dial: all remaining leads are on a do-not-call list.");
    expect(whyNotDialing(snapshot("DRAFT", { SUPPRESSED: 2 }), open, now)).toBe("Nothing to dial: all remaining leads are on a do-not-call list.");
  });
});
