import { describe, expect, it } from "vitest";
import { attemptSchema } from "../api/openapi-attempts";
import { serializeAttempt, talkSeconds, type AttemptRow } from "./attempt-json";

const at = (iso: string) => new Date(iso);

describe("talkSeconds", () => {
  it("is the answered-to-ended time, rounded to the second", () => {
    expect(talkSeconds(at("2025-01-31T09:30:00.000Z"), at("2025-01-31T09:31:05.400Z"))).toBe(65);
    expect(talkSeconds(at("2025-01-31T09:30:00.000Z"), at("2025-01-31T09:30:00.600Z"))).toBe(1);
  });

  it("is null for a call not answered or not ended, and never negative", () => {
    expect(talkSeconds(null, at("2025-01-31T09:31:00Z"))).toBeNull();
    expect(talkSeconds(at("2025-01-31T09:31:00Z"), null)).toBeNull();
    expect(talkSeconds(at("2025-01-31T09:31:00Z"), at("2025-01-31T09:30:59Z"))).toBe(0);
  });
});

describe("serializeAttempt", () => {
  const row: AttemptRow = {
    id: "4f5b3c0e-0000-4000-8000-000000000001",
    leadId: 17n,
    phone: "+14155550123",
    attemptNumber: 2,
    queuedAt: at("2025-01-31T09:29:58Z"),
    dialedAt: at("2025-01-31T09:30:00Z"),
    answeredAt: at("2025-01-31T09:30:10Z"),
    endedAt: at("2025-01-31T09:32:00Z"),
    outcome: "COMPLETED",
    outcomeAssumed: false,
    error: null,
    providerCallId: "CA123",
    inDoubtSince: null,
  };

  it("gives the documented shape: string ids, ISO times, the duration and the in-doubt flag", () => {
    const json = serializeAttempt(row);
    expect(attemptSchema.strict().parse(json)).toEqual(json);
    expect(json).toMatchObject({ leadId: "17", dialedAt: "2025-01-31T09:30:00.000Z", durationSec: 110, inDoubt: false });
    expect(json).not.toHaveProperty("inDoubtSince");
  });

  it("shows an unanswered call in doubt with nulls, not made-up times", () => {
    const json = serializeAttempt({ ...row, answeredAt: null, endedAt: null, outcome: null, providerCallId: null, inDoubtSince: at("2025-01-31T09:30:05Z") });
    expect(attemptSchema.strict().parse(json)).toEqual(json);
    expect(json).toMatchObject({ answeredAt: null, endedAt: null, durationSec: null, outcome: null, inDoubt: true });
  });
});
