import { describe, expect, it } from "vitest";
import { isoToLocalDateTime, localDateTimeToIso } from "./local-datetime";

describe("localDateTimeToIso", () => {
  it("reads a datetime-local value on the named zone's wall clock, not the machine's", () => {
    expect(localDateTimeToIso("2026-12-03T09:00", "America/Chicago")).toBe("2026-12-03T15:00:00.000Z");
    expect(localDateTimeToIso("2026-07-03T09:00", "America/Chicago")).toBe("2026-07-03T14:00:00.000Z");
    expect(localDateTimeToIso("2026-12-03T09:00", "Asia/Kolkata")).toBe("2026-12-03T03:30:00.000Z");
    expect(localDateTimeToIso("2026-12-03T09:00", "UTC")).toBe("2026-12-03T09:00:00.000Z");
  });

  it("opens a time the clocks skip at the end of the gap, as the calling windows do", () => {
    // Chicago jumps 02:00 → 03:00 on 8 March 2026 (08:00Z).
    expect(localDateTimeToIso("2026-03-08T02:30", "America/Chicago")).toBe("2026-03-08T08:00:00.000Z");
    expect(localDateTimeToIso("2026-03-08T03:30", "America/Chicago")).toBe("2026-03-08T08:30:00.000Z");
    expect(localDateTimeToIso("2026-03-29T02:15", "Europe/Paris")).toBe("2026-03-29T01:00:00.000Z");
  });

  it("takes the first of a time the clocks repeat", () => {
    // Chicago falls back 02:00 → 01:00 on 1 November 2026: 01:30 happens at 06:30Z (CDT) and again at 07:30Z (CST).
    expect(localDateTimeToIso("2026-11-01T01:30", "America/Chicago")).toBe("2026-11-01T06:30:00.000Z");
    expect(localDateTimeToIso("2026-11-01T02:30", "America/Chicago")).toBe("2026-11-01T08:30:00.000Z");
  });

  it("drops seconds, and takes a value with an offset as it is", () => {
    expect(localDateTimeToIso("2026-12-03T09:00:45", "America/Chicago")).toBe("2026-12-03T15:00:00.000Z");
    expect(localDateTimeToIso("2026-12-03T09:00:00+01:00", "America/Chicago")).toBe("2026-12-03T08:00:00.000Z");
    expect(localDateTimeToIso("2026-12-03T09:00:00Z", "America/Chicago")).toBe("2026-12-03T09:00:00.000Z");
  });

  it("refuses what is not a real date and time, and unknown zones", () => {
    for (const bad of ["", "tomorrow", "2026-02-30T09:00", "2026-12-03T24:00", "2026-12-03", "2026-13-01T09:00", "2026-12-03T09:60"]) {
      expect(localDateTimeToIso(bad, "America/Chicago"), bad).toBeNull();
    }
    expect(localDateTimeToIso("2026-12-03T09:00", "Mars/Olympus")).toBeNull();
  });
});

describe("isoToLocalDateTime", () => {
  it("shows an instant on the zone's wall clock, the way a datetime-local input wants it", () => {
    expect(isoToLocalDateTime("2026-12-03T15:00:00.000Z", "America/Chicago")).toBe("2026-12-03T09:00");
    expect(isoToLocalDateTime(new Date("2026-11-01T07:30:00Z"), "America/Chicago")).toBe("2026-11-01T01:30");
  });

  it("round-trips every minute that exists, across both DST changes", () => {
    for (const local of ["2026-03-08T01:59", "2026-03-08T03:00", "2026-11-01T00:59", "2026-11-01T01:00", "2026-11-01T02:00", "2026-06-15T12:34"]) {
      expect(isoToLocalDateTime(localDateTimeToIso(local, "America/Chicago")!, "America/Chicago"), local).toBe(local);
    }
  });
});
