import { describe, expect, it } from "vitest";
import { CHART_MINUTES, estimateEtaSeconds, fillMinuteBuckets, idleReason, recentDialRate, type IdleInput } from "./progress";
import { NO_HELD_LEADS } from "../rules/holds";

const at = (iso: string) => new Date(iso);
const ms = (iso: string) => Date.parse(iso);

describe("fillMinuteBuckets", () => {
  it("returns 15 minutes ending with the current one, filling minutes without calls with 0", () => {
    const now = at("2026-03-01T10:14:35.250Z");
    const buckets = fillMinuteBuckets([{ minute: ms("2026-03-01T10:14:00Z"), calls: 4 }, { minute: ms("2026-03-01T10:02:00Z"), calls: 7 }], now);
    expect(buckets).toHaveLength(CHART_MINUTES);
    expect(buckets[0]).toEqual({ minute: "2026-03-01T10:00:00.000Z", calls: 0 });
    expect(buckets[2]).toEqual({ minute: "2026-03-01T10:02:00.000Z", calls: 7 });
    expect(buckets[14]).toEqual({ minute: "2026-03-01T10:14:00.000Z", calls: 4 });
    expect(buckets.reduce((s, b) => s + b.calls, 0)).toBe(11);
  });

  it("ignores rows outside the window and works across midnight", () => {
    const now = at("2026-03-02T00:03:00Z");
    const buckets = fillMinuteBuckets([{ minute: ms("2026-03-01T23:49:00Z"), calls: 1 }, { minute: ms("2026-03-01T23:48:00Z"), calls: 99 }], now);
    expect(buckets[0]).toEqual({ minute: "2026-03-01T23:49:00.000Z", calls: 1 });
    expect(buckets.at(-1)!.minute).toBe("2026-03-02T00:03:00.000Z");
    expect(buckets.reduce((s, b) => s + b.calls, 0)).toBe(1);
  });

  it("is all zeros for a campaign with no calls", () => {
    expect(fillMinuteBuckets([], new Date()).every((b) => b.calls === 0)).toBe(true);
  });
});

describe("recentDialRate", () => {
  const now = at("2026-03-01T10:14:30Z");
  const buckets = (calls: number[]) => fillMinuteBuckets(calls.map((c, i) => ({ minute: ms("2026-03-01T10:00:00Z") + i * 60_000, calls: c })), now);

  it("averages the last five minute buckets, the current one partial", () => {
    // 10:10 … 10:14:30 is 4.5 minutes.
    const rate = recentDialRate(buckets([...Array(10).fill(0), 60, 60, 60, 60, 30]), now, at("2026-03-01T09:00:00Z"));
    expect(rate).toBeCloseTo(270 / 270, 5);
  });

  it("measures from the first dial when the campaign has dialed for less than the window", () => {
    const rate = recentDialRate(buckets([...Array(14).fill(0), 60]), now, at("2026-03-01T10:14:00Z"));
    expect(rate).toBeCloseTo(60 / 30, 5);
  });

  it("does not extrapolate from the first few seconds", () => {
    const rate = recentDialRate(buckets([...Array(14).fill(0), 3]), now, at("2026-03-01T10:14:29Z"));
    expect(rate).toBeCloseTo(3 / 15, 5);
  });

  it("is 0 without recent calls", () => {
    expect(recentDialRate(buckets([5, 5, 5, ...Array(12).fill(0)]), now, at("2026-03-01T10:00:00Z"))).toBe(0);
  });
});

describe("estimateEtaSeconds", () => {
  it("divides the remaining leads by the rate, rounding up", () => {
    expect(estimateEtaSeconds(100, 2)).toBe(50);
    expect(estimateEtaSeconds(10, 3)).toBe(4);
  });

  it("is 0 when nothing remains and unknown without a rate", () => {
    expect(estimateEtaSeconds(0, 0)).toBe(0);
    expect(estimateEtaSeconds(5, 0)).toBeNull();
    expect(estimateEtaSeconds(5, Number.NaN)).toBeNull();
  });
});

describe("idleReason", () => {
  const base: IdleInput = { paused: false, linesInUse: 0, maxConcurrent: 10, runningCampaigns: 1, hasPending: false, scheduledRetries: 0, nextRetryAt: null };

  it("is null while calls go out below the cap", () => {
    expect(idleReason({ ...base, linesInUse: 3 })).toBeNull();
    expect(idleReason({ ...base, linesInUse: 3, maxConcurrent: null })).toBeNull();
  });

  it("names the platform pause first, then the cap", () => {
    expect(idleReason({ ...base, paused: true, linesInUse: 10 })).toEqual({ kind: "paused" });
    expect(idleReason({ ...base, linesInUse: 10 })).toEqual({ kind: "at_cap", limit: 10 });
    expect(idleReason({ ...base, maxConcurrent: 0 })).toEqual({ kind: "at_cap", limit: 0 });
  });

  it("explains an idle tenant", () => {
    expect(idleReason({ ...base, runningCampaigns: 0 })).toEqual({ kind: "no_running_campaigns" });
    expect(idleReason({ ...base, hasPending: true })).toEqual({ kind: "waiting_for_dispatch" });
    expect(idleReason({ ...base, scheduledRetries: 4, nextRetryAt: at("2026-03-01T11:00:00Z") })).toEqual({ kind: "retries_scheduled", nextAt: "2026-03-01T11:00:00.000Z" });
    expect(idleReason(base)).toEqual({ kind: "no_pending_leads" });
  });

  it("says leads at a frequency cap are held by it, not retries, and when the first is due", () => {
    const nextRetryAt = at("2026-03-01T11:00:00Z");
    const held = { ...NO_HELD_LEADS, cap24h: 3, nextCapReleaseAt: "2026-03-01T11:00:00.000Z", caps: { per24h: 3, per30d: null } };
    expect(idleReason({ ...base, scheduledRetries: 3, nextRetryAt, held })).toEqual({ kind: "frequency_capped", held, retries: 0, nextAt: "2026-03-01T11:00:00.000Z" });
    expect(idleReason({ ...base, scheduledRetries: 5, nextRetryAt, held })).toMatchObject({ kind: "frequency_capped", retries: 2 });
    // Held only because another campaign calls the number: that call is a line in use, so this is the retry case.
    expect(idleReason({ ...base, scheduledRetries: 2, nextRetryAt, held: { ...NO_HELD_LEADS, numberInUse: 2 } })).toEqual({ kind: "retries_scheduled", nextAt: "2026-03-01T11:00:00.000Z" });
    // Still the concurrent-call limit first, and the window before the caps.
    expect(idleReason({ ...base, linesInUse: 10, scheduledRetries: 3, nextRetryAt, held })).toEqual({ kind: "at_cap", limit: 10 });
    expect(idleReason({ ...base, outsideWindow: 2, scheduledRetries: 3, nextRetryAt, held })).toMatchObject({ kind: "outside_window" });
  });
});
