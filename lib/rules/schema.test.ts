import { describe, expect, it } from "vitest";
import { campaignScheduleInputSchema, intervalSchema } from "./schema";

const valid = { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00", startAt: "2026-06-01T08:00:00Z", endAt: "2026-06-30T18:00:00+02:00" };
const issues = (input: unknown) => {
  const result = campaignScheduleInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
};

describe("intervalSchema", () => {
  it("accepts HH:mm with an end up to 24:00", () => {
    expect(intervalSchema.safeParse({ days: [6, 7], start: "00:00", end: "24:00" }).success).toBe(true);
  });

  it("rejects an end that is not after the start, pointing at the end", () => {
    const result = intervalSchema.safeParse({ days: [1], start: "21:00", end: "08:00" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(["end"]);
  });
});

describe("campaignScheduleInputSchema", () => {
  it("accepts a schedule with hours and a run", () => {
    expect(issues(valid)).toEqual([]);
  });

  it("accepts all-day without a run", () => {
    expect(issues({ days: [1, 2, 3, 4, 5, 6, 7], start: null, end: null, startAt: null, endAt: null })).toEqual([]);
  });

  it("wants both a start and an end time, or neither", () => {
    expect(issues({ ...valid, end: null })).toEqual([{ path: "end", message: expect.stringContaining("both a start and an end") }]);
    expect(issues({ ...valid, start: null })).toEqual([{ path: "start", message: expect.stringContaining("both a start and an end") }]);
  });

  it("rejects an end time not after the start time", () => {
    expect(issues({ ...valid, start: "17:00", end: "09:00" })).toEqual([{ path: "end", message: expect.stringContaining("later than the start") }]);
  });

  it("rejects an automatic stop not after the scheduled start, whatever the offsets", () => {
    // 10:00+02:00 is 08:00Z, the same instant as startAt.
    expect(issues({ ...valid, endAt: "2026-06-01T10:00:00+02:00" })).toEqual([{ path: "endAt", message: expect.stringContaining("later than the scheduled start") }]);
  });

  it("rejects instants without an offset and bad days", () => {
    expect(issues({ ...valid, startAt: "2026-06-01T08:00:00" }).map((issue) => issue.path)).toEqual(["startAt"]);
    expect(issues({ ...valid, days: [1, 1] }).map((issue) => issue.path)).toEqual(["days"]);
    expect(issues({ ...valid, days: [] }).map((issue) => issue.path)).toEqual(["days"]);
    expect(issues({ ...valid, days: [8] }).map((issue) => issue.path)).toEqual(["days.0"]);
  });
});
