import { describe, expect, it } from "vitest";
import { leadAfterOutcome, providerBackoffMs } from "./retry-policy";

const policy = { maxAttempts: 3, retryDelaySec: 1800, retryOutcomes: ["NO_ANSWER", "BUSY"] as ("NO_ANSWER" | "BUSY")[] };
const now = new Date("2026-11-27T10:00:00Z");

describe("retries by outcome (defaults: no-answer and busy after 30 minutes, at most 3 attempts)", () => {
  it("schedules a no-answer or busy lead again 30 minutes later while attempts remain", () => {
    expect(leadAfterOutcome("NO_ANSWER", 1, policy, now)).toEqual({ status: "SCHEDULED", nextAttemptAt: new Date("2026-11-27T10:30:00Z") });
    expect(leadAfterOutcome("BUSY", 2, policy, now).status).toBe("SCHEDULED");
  });

  it("stops after the third attempt", () => {
    expect(leadAfterOutcome("NO_ANSWER", 3, policy, now)).toEqual({ status: "NO_ANSWER", nextAttemptAt: null });
    expect(leadAfterOutcome("BUSY", 3, policy, now)).toEqual({ status: "BUSY", nextAttemptAt: null });
  });

  it("never retries completed, failed, voicemail or provider errors by default", () => {
    expect(leadAfterOutcome("COMPLETED", 1, policy, now).status).toBe("COMPLETED");
    expect(leadAfterOutcome("FAILED", 1, policy, now).status).toBe("FAILED");
    expect(leadAfterOutcome("VOICEMAIL", 1, policy, now).status).toBe("VOICEMAIL");
    expect(leadAfterOutcome("PROVIDER_ERROR", 1, policy, now).status).toBe("FAILED");
  });

  it("follows a campaign's own policy", () => {
    const custom = { maxAttempts: 2, retryDelaySec: 60, retryOutcomes: ["VOICEMAIL" as const] };
    expect(leadAfterOutcome("VOICEMAIL", 1, custom, now)).toEqual({ status: "SCHEDULED", nextAttemptAt: new Date("2026-11-27T10:01:00Z") });
    expect(leadAfterOutcome("NO_ANSWER", 1, custom, now).status).toBe("NO_ANSWER");
  });

  it("backs off provider errors exponentially, honouring Retry-After", () => {
    expect(providerBackoffMs(0)).toBeLessThanOrEqual(250);
    expect(providerBackoffMs(6)).toBeGreaterThanOrEqual(8000);
    expect(providerBackoffMs(20)).toBeLessThanOrEqual(30_000);
    expect(providerBackoffMs(0, 5000)).toBe(5000);
  });
});
