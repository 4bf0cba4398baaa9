import { describe, expect, it } from "vitest";
import { addDays, instantsOf, localTimeAt, offsetShiftsOn, wallClock } from "./zone-time";

const iso = (instants: readonly number[]) => instants.map((ms) => new Date(ms).toISOString());

describe("instantsOf", () => {
  it("maps an ordinary local time to its one instant", () => {
    expect(iso(instantsOf("America/New_York", { year: 2026, month: 3, day: 7 }, 8 * 60))).toEqual(["2026-03-07T13:00:00.000Z"]);
    expect(iso(instantsOf("America/New_York", { year: 2026, month: 3, day: 8 }, 8 * 60))).toEqual(["2026-03-08T12:00:00.000Z"]);
  });

  it("maps a time skipped by spring-forward to the end of the gap", () => {
    // New York jumps 02:00 → 03:00 at 07:00Z; Paris 02:00 → 03:00 at 01:00Z.
    expect(iso(instantsOf("America/New_York", { year: 2026, month: 3, day: 8 }, 2 * 60 + 30))).toEqual(["2026-03-08T07:00:00.000Z"]);
    expect(iso(instantsOf("Europe/Paris", { year: 2026, month: 3, day: 29 }, 2 * 60 + 30))).toEqual(["2026-03-29T01:00:00.000Z"]);
    // Santiago skips midnight itself, so a day's 00:00 is 01:00.
    expect(iso(instantsOf("America/Santiago", { year: 2026, month: 9, day: 6 }, 0))).toEqual(["2026-09-06T04:00:00.000Z"]);
  });

  it("gives both readings of a repeated fall-back time, the first first", () => {
    expect(iso(instantsOf("America/New_York", { year: 2026, month: 11, day: 1 }, 75))).toEqual(["2026-11-01T05:15:00.000Z", "2026-11-01T06:15:00.000Z"]);
    expect(iso(instantsOf("Europe/Paris", { year: 2026, month: 10, day: 25 }, 150))).toEqual(["2026-10-25T00:30:00.000Z", "2026-10-25T01:30:00.000Z"]);
  });

  it("handles Lord Howe's half-hour shifts", () => {
    expect(iso(instantsOf("Australia/Lord_Howe", { year: 2026, month: 4, day: 5 }, 105))).toEqual(["2026-04-04T14:45:00.000Z", "2026-04-04T15:15:00.000Z"]);
    expect(iso(instantsOf("Australia/Lord_Howe", { year: 2026, month: 10, day: 4 }, 135))).toEqual(["2026-10-03T15:30:00.000Z"]);
  });

  it("has no instants in an unknown zone", () => {
    expect(instantsOf("Mars/Olympus_Mons", { year: 2026, month: 1, day: 1 }, 0)).toEqual([]);
  });
});

describe("offsetShiftsOn", () => {
  it("finds the DST change on its day and none on the next", () => {
    expect(iso(offsetShiftsOn("America/New_York", { year: 2026, month: 11, day: 1 }))).toEqual(["2026-11-01T06:00:00.000Z"]);
    expect(offsetShiftsOn("America/New_York", { year: 2026, month: 11, day: 3 })).toEqual([]);
    expect(offsetShiftsOn("Asia/Tokyo", { year: 2026, month: 3, day: 29 })).toEqual([]);
  });
});

describe("localTimeAt", () => {
  it("reads the weekday and minute on the zone's wall clock", () => {
    // Sunday 02:00 UTC is still Saturday 16:00 in Honolulu.
    expect(localTimeAt("Pacific/Honolulu", Date.parse("2026-06-07T02:00:30Z"))).toEqual({ weekday: 6, minute: 16 * 60 });
    expect(localTimeAt("Europe/Paris", Date.parse("2026-06-07T02:00:00Z"))).toEqual({ weekday: 7, minute: 4 * 60 });
    expect(localTimeAt("Not/A_Zone", Date.parse("2026-06-07T02:00:00Z"))).toBeNull();
  });

  it("sees the wall clock go back at fall-back", () => {
    expect(localTimeAt("America/New_York", Date.parse("2026-11-01T05:59:00Z"))?.minute).toBe(60 + 59);
    expect(localTimeAt("America/New_York", Date.parse("2026-11-01T06:00:00Z"))?.minute).toBe(60);
  });
});

describe("calendar helpers", () => {
  it("adds days across month and year ends with the ISO weekday", () => {
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1, weekday: 5 });
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29, weekday: 2 });
  });

  it("formats the wall clock", () => {
    expect(wallClock("America/Chicago", Date.parse("2026-01-05T14:00:00Z"))).toBe("08:00");
  });
});
