import { describe, expect, it } from "vitest";
import { describeCallingHours, describeSchedule, formatAmPm, formatDays, formatFromNow, formatInZone } from "./schedule-words";

const now = new Date("2026-12-01T12:00:00Z");

describe("describeSchedule", () => {
  it("says the days, the hours in the lead's local time, and the start and stop in the campaign's zone", () => {
    const text = describeSchedule(
      { timezone: "America/Chicago", days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00", startAt: "2026-12-03T15:00:00Z", endAt: new Date("2026-12-18T23:00:00Z") },
      now,
    );
    expect(text).toBe("Mon–Fri, 09:00–17:00 lead's local time; starts 3 Dec 09:00 America/Chicago; stops 18 Dec 17:00 America/Chicago");
  });

  it("says every day, all day for the open schedule, and past tense once a start or stop has passed", () => {
    expect(describeSchedule({ timezone: "UTC", days: [1, 2, 3, 4, 5, 6, 7], start: null, end: null, startAt: null, endAt: null }, now)).toBe("Every day, all day");
    expect(describeSchedule({ timezone: "Europe/Paris", days: [6, 7], start: null, end: null, startAt: "2026-11-20T08:00:00Z", endAt: "2027-01-10T17:00:00Z" }, now)).toBe(
      "Sat, Sun, all day; started 20 Nov 09:00 Europe/Paris; stops 10 Jan 2027 18:00 Europe/Paris",
    );
  });
});

describe("formatDays", () => {
  it("joins runs of three or more and lists the rest", () => {
    expect(formatDays([1, 2, 3, 4, 5])).toBe("Mon–Fri");
    expect(formatDays([5, 1, 3])).toBe("Mon, Wed, Fri");
    expect(formatDays([1, 2, 3, 5, 6, 7])).toBe("Mon–Wed, Fri–Sun");
    expect(formatDays([7, 1, 2, 3, 4, 5, 6])).toBe("every day");
  });
});

describe("formatInZone", () => {
  it("shows the zone's wall clock, with the year only when it is not this year there", () => {
    expect(formatInZone("2026-12-03T15:00:00Z", "America/Chicago", now)).toBe("3 Dec 09:00 America/Chicago");
    // New Year's Eve in Chicago is already 2027 in UTC.
    expect(formatInZone("2027-01-01T03:00:00Z", "America/Chicago", now)).toBe("31 Dec 21:00 America/Chicago");
    expect(formatInZone("2027-01-01T03:00:00Z", "UTC", now)).toBe("1 Jan 2027 03:00 UTC");
  });
});

describe("formatFromNow", () => {
  it("rounds up to the minute and shortens with distance", () => {
    expect(formatFromNow("2026-12-01T12:00:10Z", now)).toBe("in 1 min");
    expect(formatFromNow("2026-12-01T12:45:00Z", now)).toBe("in 45 min");
    expect(formatFromNow("2026-12-01T15:00:00Z", now)).toBe("in 3 h");
    expect(formatFromNow("2026-12-01T14:30:00Z", now)).toBe("in 2 h 30 min");
    expect(formatFromNow("2026-12-01T23:30:00Z", now)).toBe("in 11 h");
    expect(formatFromNow("2026-12-03T16:00:00Z", now)).toBe("in 2 d 4 h");
    expect(formatFromNow("2026-12-01T11:00:00Z", now)).toBe("now");
  });
});

describe("describeCallingHours", () => {
  it("reads the platform's rules as the law states them, countries with the same hours together", () => {
    const everyDay = [{ days: [1, 2, 3, 4, 5, 6, 7], start: "08:00", end: "21:00" }];
    expect(describeCallingHours([{ country: "US", intervals: everyDay }])).toBe("US: 8 am–9 pm local time");
    expect(
      describeCallingHours([
        { country: "CA", intervals: everyDay },
        { country: "FR", intervals: [{ days: [1, 2, 3, 4, 5], start: "10:00", end: "13:00" }, { days: [1, 2, 3, 4, 5], start: "14:00", end: "20:00" }] },
        { country: "US", intervals: everyDay },
        { country: "XX", intervals: [] },
      ]),
    ).toBe("CA, US: 8 am–9 pm local time; FR: Mon–Fri 10 am–1 pm and 2 pm–8 pm local time; XX: no calls at any time");
    expect(describeCallingHours([])).toBeNull();
  });

  it("writes times the way people say them", () => {
    expect(["00:00", "08:00", "09:30", "12:00", "13:05", "24:00"].map(formatAmPm)).toEqual(["midnight", "8 am", "9:30 am", "noon", "1:05 pm", "midnight"]);
  });
});
