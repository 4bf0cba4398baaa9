import { describe, expect, it } from "vitest";
import type { CampaignProgress } from "./progress";
import { NO_HELD_LEADS, type HeldLeads } from "../rules/holds";
import { LEAD_STATUSES } from "./schema";
import { concurrentLimitWords, heldBackWords, heldWaiting, whyNotDialing, windowWaiting, type CampaignTimes } from "./why-not-dialing";

const now = Date.parse("2026-12-01T11:00:00Z"); // 05:00 in Chicago
const open: CampaignTimes = { timezone: "America/Chicago", startAt: null, endAt: null };

function snapshot(status: CampaignProgress["status"], counts: Partial<CampaignProgress["counts"]>, window: CampaignProgress["window"] = null, held: HeldLeads | null = null, nextRetryAt: string | null = null) {
  const all = Object.fromEntries(LEAD_STATUSES.map((s) => [s, counts[s] ?? 0])) as CampaignProgress["counts"];
  return { status, counts: all, total: Object.values(all).reduce((a, b) => a + b, 0), window, nextRetryAt, held };
}

/** 08:05 in Chicago, 3 h 5 min after `now`. */
const releaseAt = "2026-12-01T14:05:00.000Z";
const florida = { per24h: 3, per30d: null };

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

describe("frequency caps and numbers in use", () => {
  it("says every remaining lead is at its frequency cap, which cap, and when the next becomes dialable", () => {
    const held = { ...NO_HELD_LEADS, cap24h: 2, nextCapReleaseAt: releaseAt, caps: florida };
    const p = snapshot("RUNNING", { SCHEDULED: 2, COMPLETED: 4 }, null, held, releaseAt);
    expect(whyNotDialing(p, open, now)).toBe("Every remaining lead is at its frequency cap (3 calls per 24 h); the next becomes dialable at 1 Dec 08:05 America/Chicago (in 3 h 5 min).");
    // Both caps hold some leads, and plain retries wait beside them: the first due of all is the next.
    const both = { ...NO_HELD_LEADS, cap24h: 1, cap30d: 2, nextCapReleaseAt: "2026-12-20T14:05:00.000Z", caps: { per24h: 3, per30d: 4 } };
    expect(whyNotDialing(snapshot("RUNNING", { SCHEDULED: 5 }, null, both, releaseAt), open, now)).toBe(
      "Every remaining lead is a scheduled retry or at its frequency cap (3 calls per 24 h and 4 per 30 days); the next becomes dialable at 1 Dec 08:05 America/Chicago (in 3 h 5 min).",
    );
  });

  it("tells a number another campaign is calling from a retry, and keeps the retry sentence for retries", () => {
    const busy = { ...NO_HELD_LEADS, numberInUse: 2 };
    expect(whyNotDialing(snapshot("RUNNING", { SCHEDULED: 2 }, null, busy, releaseAt), open, now)).toBe(
      "Another of your campaigns is calling the number of every remaining lead; each is tried again within a minute.",
    );
    expect(whyNotDialing(snapshot("RUNNING", { SCHEDULED: 3 }, null, busy, releaseAt), open, now)).toBe("Every remaining lead is a scheduled retry; calls resume when the first is due.");
    expect(whyNotDialing(snapshot("RUNNING", { SCHEDULED: 3 }, null, NO_HELD_LEADS, releaseAt), open, now)).toBe("Every remaining lead is a scheduled retry; calls resume when the first is due.");
  });

  it("counts the held leads by why, apart from the window and the do-not-call list", () => {
    const held = { ...NO_HELD_LEADS, cap24h: 12, numberInUse: 1, nextCapReleaseAt: releaseAt, caps: florida };
    expect(heldWaiting(snapshot("RUNNING", { SCHEDULED: 13, PENDING: 5 }, { inside: 5, outside: 0, nextOpening: null }, held), open, now)).toBe(
      "12 leads are at their frequency cap (3 calls per 24 h); the first becomes dialable at 1 Dec 08:05 America/Chicago (in 3 h 5 min). 1 lead waits while another of your campaigns calls its number.",
    );
    const one = { ...NO_HELD_LEADS, cap30d: 1, nextCapReleaseAt: "2026-12-20T14:05:00.000Z", caps: { per24h: null, per30d: 4 } };
    expect(heldWaiting(snapshot("PAUSED", { SCHEDULED: 1 }, null, one), open, now)).toBe(
      "1 lead is at its frequency cap (4 calls per 30 days); the first becomes dialable at 20 Dec 08:05 America/Chicago (in 19 d 3 h).",
    );
    expect(heldWaiting(snapshot("RUNNING", { SCHEDULED: 2 }, null, NO_HELD_LEADS), open, now)).toBeNull();
    expect(heldWaiting(snapshot("RUNNING", { PENDING: 2 }), open, now)).toBeNull();
  });

  it("words the dashboard's frequency cap and its concurrent-call limit", () => {
    expect(heldBackWords({ ...NO_HELD_LEADS, cap24h: 3, caps: florida }, 0)).toBe("at its frequency cap (3 calls per 24 h)");
    expect(heldBackWords({ ...NO_HELD_LEADS, cap24h: 3, caps: florida }, 2)).toBe("a scheduled retry or at its frequency cap (3 calls per 24 h)");
    expect(heldBackWords({ ...NO_HELD_LEADS, numberInUse: 3 }, 0)).toBeNull();
    expect(concurrentLimitWords(10)).toBe("at its limit of 10 concurrent calls");
    expect(concurrentLimitWords(1)).toBe("at its limit of 1 concurrent call");
    expect(concurrentLimitWords(2500)).toBe("at its limit of 2,500 concurrent calls");
  });
});
