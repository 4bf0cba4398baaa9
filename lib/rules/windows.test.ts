import { describe, expect, it } from "vitest";
import { countryRules, DEFAULT_COUNTRY_RULES } from "./presets";
import { ALWAYS, isDialable, nextDialable, nextOpening, validateInterval, type CampaignSchedule, type CountryRules } from "./windows";

// US and CA 08:00–21:00 every day, as a fresh install ships.
const US = countryRules(DEFAULT_COUNTRY_RULES);
const NONE: CountryRules = new Map();
const at = (iso: string) => new Date(iso);
const lead = (...zones: string[]) => ({ country: "US", zones });
const schedule = (patch: Partial<CampaignSchedule>): CampaignSchedule => ({ ...ALWAYS, ...patch });
const next = (...args: Parameters<typeof nextDialable>) => nextDialable(...args)?.toISOString() ?? null;

describe("the US window across DST in New York", () => {
  const ny = lead("America/New_York");

  it("opens at 08:00 local: 13:00Z on EST, 12:00Z once EDT starts on 2026-03-08", () => {
    expect(isDialable(ny, ALWAYS, US, at("2026-03-07T12:59:00Z"))).toBe(false);
    expect(isDialable(ny, ALWAYS, US, at("2026-03-07T13:00:00Z"))).toBe(true);
    expect(isDialable(ny, ALWAYS, US, at("2026-03-08T11:59:59Z"))).toBe(false);
    expect(isDialable(ny, ALWAYS, US, at("2026-03-08T12:00:00Z"))).toBe(true);
  });

  it("closes at 21:00 local, end exclusive", () => {
    expect(isDialable(ny, ALWAYS, US, at("2026-03-08T01:59:00Z"))).toBe(true); // Sat 20:59 EST
    expect(isDialable(ny, ALWAYS, US, at("2026-03-08T02:00:00Z"))).toBe(false);
  });

  it("finds the next opening over the spring-forward night", () => {
    expect(next(ny, ALWAYS, US, at("2026-03-08T03:00:00Z"))).toBe("2026-03-08T12:00:00.000Z");
  });

  it("opens at 12:00Z on 2026-10-31 (EDT) and 13:00Z on 2026-11-01 (EST)", () => {
    expect(next(ny, ALWAYS, US, at("2026-10-31T03:00:00Z"))).toBe("2026-10-31T12:00:00.000Z");
    expect(next(ny, ALWAYS, US, at("2026-11-01T03:00:00Z"))).toBe("2026-11-01T13:00:00.000Z");
    expect(isDialable(ny, ALWAYS, US, at("2026-11-01T12:30:00Z"))).toBe(false);
  });

  it("maps a start skipped by spring-forward to 03:00, and a repeated one to its first occurrence", () => {
    const skipped = schedule({ days: [7], start: "02:30", end: "05:00" });
    expect(next({ country: "XX", zones: ["America/New_York"] }, skipped, NONE, at("2026-03-08T00:00:00Z"))).toBe("2026-03-08T07:00:00.000Z");
    const repeated = schedule({ days: [7], start: "01:30", end: "05:00" });
    expect(next({ country: "XX", zones: ["America/New_York"] }, repeated, NONE, at("2026-11-01T00:00:00Z"))).toBe("2026-11-01T05:30:00.000Z");
  });

  it("reopens in the second pass of a repeated hour", () => {
    const xx = { country: "XX", zones: ["America/New_York"] };
    // 01:15–01:30 happens twice on 2026-11-01: 05:15Z EDT and 06:15Z EST.
    expect(next(xx, schedule({ days: [7], start: "01:15", end: "01:30" }), NONE, at("2026-11-01T05:45:00Z"))).toBe("2026-11-01T06:15:00.000Z");
    // The clock falling back from 01:59 to 01:00 lands inside 00:30–01:30, so it opens at the shift itself.
    expect(next(xx, schedule({ days: [7], start: "00:30", end: "01:30" }), NONE, at("2026-11-01T05:45:00Z"))).toBe("2026-11-01T06:00:00.000Z");
  });
});

describe("an 08:00–21:00 window across DST in Paris", () => {
  const rules: CountryRules = new Map([["DE", [{ days: [1, 2, 3, 4, 5, 6, 7], start: "08:00", end: "21:00" }]]]);
  const paris = { country: "DE", zones: ["Europe/Paris"] };

  it("opens at 07:00Z on CET and 06:00Z from 2026-03-29 (CEST)", () => {
    expect(next(paris, ALWAYS, rules, at("2026-03-28T00:00:00Z"))).toBe("2026-03-28T07:00:00.000Z");
    expect(next(paris, ALWAYS, rules, at("2026-03-29T00:00:00Z"))).toBe("2026-03-29T06:00:00.000Z");
  });

  it("opens at 06:00Z on 2026-10-24 (CEST) and 07:00Z from 2026-10-25 (CET)", () => {
    expect(next(paris, ALWAYS, rules, at("2026-10-24T00:00:00Z"))).toBe("2026-10-24T06:00:00.000Z");
    expect(next(paris, ALWAYS, rules, at("2026-10-25T00:00:00Z"))).toBe("2026-10-25T07:00:00.000Z");
    expect(isDialable(paris, ALWAYS, rules, at("2026-10-25T06:30:00Z"))).toBe(false);
  });
});

describe("a lead in several zones", () => {
  // Area code 605 spans Mountain (Denver) and Central (North Dakota); Monday 2026-06-01, MDT and CDT.
  const sd = lead("America/Denver", "America/North_Dakota/Center");

  it("is open only while open in both zones", () => {
    expect(isDialable(lead("America/North_Dakota/Center"), ALWAYS, US, at("2026-06-01T13:30:00Z"))).toBe(true);
    expect(isDialable(lead("America/Denver"), ALWAYS, US, at("2026-06-01T13:30:00Z"))).toBe(false);
    expect(isDialable(sd, ALWAYS, US, at("2026-06-01T13:30:00Z"))).toBe(false);
    expect(isDialable(sd, ALWAYS, US, at("2026-06-01T14:00:00Z"))).toBe(true);
    expect(isDialable(sd, ALWAYS, US, at("2026-06-02T01:59:00Z"))).toBe(true);
    expect(isDialable(sd, ALWAYS, US, at("2026-06-02T02:00:00Z"))).toBe(false); // 21:00 Central, 20:00 Denver
  });

  it("opens at the later of the two openings, and says which zone that is", () => {
    expect(next(sd, ALWAYS, US, at("2026-06-01T10:00:00Z"))).toBe("2026-06-01T14:00:00.000Z");
    expect(nextOpening(sd, ALWAYS, US, at("2026-06-01T10:00:00Z"))).toEqual({ at: at("2026-06-01T14:00:00Z"), zone: "America/Denver", localTime: "08:00" });
  });

  it("never opens when the zones' windows never overlap", () => {
    const oneHour = schedule({ start: "09:00", end: "10:00" });
    expect(next({ country: "XX", zones: ["Asia/Tokyo", "Pacific/Honolulu"] }, oneHour, NONE, at("2026-06-01T00:00:00Z"))).toBeNull();
  });
});

describe("zones at the same instant", () => {
  it("has New York open and Honolulu closed at 17:00Z, and the reverse at 02:30Z", () => {
    expect(isDialable(lead("America/New_York"), ALWAYS, US, at("2026-06-01T17:00:00Z"))).toBe(true);
    expect(isDialable(lead("Pacific/Honolulu"), ALWAYS, US, at("2026-06-01T17:00:00Z"))).toBe(false);
    expect(isDialable(lead("America/New_York"), ALWAYS, US, at("2026-06-02T02:30:00Z"))).toBe(false);
    expect(isDialable(lead("Pacific/Honolulu"), ALWAYS, US, at("2026-06-02T02:30:00Z"))).toBe(true);
  });

  it("tells the why-sentence when Honolulu opens", () => {
    expect(nextOpening(lead("Pacific/Honolulu"), ALWAYS, US, at("2026-06-01T17:00:00Z"))).toEqual({
      at: at("2026-06-01T18:00:00Z"),
      zone: "Pacific/Honolulu",
      localTime: "08:00",
    });
  });
});

describe("the campaign schedule", () => {
  const chicago = lead("America/Chicago"); // CDT in June: local = UTC − 5

  it("narrows the country window when it is tighter", () => {
    const office = schedule({ start: "09:00", end: "17:00" });
    expect(isDialable(chicago, office, US, at("2026-06-01T13:30:00Z"))).toBe(false); // 08:30
    expect(isDialable(chicago, office, US, at("2026-06-01T14:00:00Z"))).toBe(true);
    expect(isDialable(chicago, office, US, at("2026-06-01T22:00:00Z"))).toBe(false); // 17:00
    expect(nextOpening(chicago, office, US, at("2026-06-01T12:00:00Z"))).toEqual({ at: at("2026-06-01T14:00:00Z"), zone: "America/Chicago", localTime: "09:00" });
  });

  it("cannot widen the country window", () => {
    const long = schedule({ start: "07:00", end: "22:00" });
    expect(isDialable(chicago, long, US, at("2026-06-01T12:30:00Z"))).toBe(false); // 07:30
    expect(isDialable(chicago, long, US, at("2026-06-02T02:30:00Z"))).toBe(false); // 21:30
    expect(next(chicago, long, US, at("2026-06-01T12:00:00Z"))).toBe("2026-06-01T13:00:00.000Z");
  });

  it("applies its days in the lead's zone", () => {
    const weekdays = schedule({ days: [1, 2, 3, 4, 5] });
    expect(isDialable(chicago, weekdays, US, at("2026-06-06T17:00:00Z"))).toBe(false); // Saturday noon
    expect(next(chicago, weekdays, US, at("2026-06-06T17:00:00Z"))).toBe("2026-06-08T13:00:00.000Z"); // Monday 08:00
    // Sunday 02:00Z is still Saturday 16:00 in Honolulu.
    const saturdays = schedule({ days: [6] });
    expect(isDialable(lead("Pacific/Honolulu"), saturdays, US, at("2026-06-07T02:00:00Z"))).toBe(true);
    expect(isDialable(lead("America/New_York"), saturdays, US, at("2026-06-07T02:00:00Z"))).toBe(false);
  });

  it("waits for a future startAt", () => {
    const later = schedule({ startAt: at("2026-06-03T15:30:00Z") });
    expect(isDialable(chicago, later, US, at("2026-06-01T15:30:00Z"))).toBe(false);
    expect(next(chicago, later, US, at("2026-06-01T15:30:00Z"))).toBe("2026-06-03T15:30:00.000Z");
    expect(nextOpening(chicago, later, US, at("2026-06-01T15:30:00Z"))).toEqual({ at: at("2026-06-03T15:30:00Z"), zone: "America/Chicago", localTime: "10:30" });
    // Starting at night, the first call waits for the morning after.
    const night = schedule({ startAt: at("2026-06-03T04:00:00Z") });
    expect(next(chicago, night, US, at("2026-06-01T15:30:00Z"))).toBe("2026-06-03T13:00:00.000Z");
  });

  it("never opens after endAt, which is exclusive", () => {
    const ended = schedule({ endAt: at("2026-06-01T20:00:00Z") });
    expect(isDialable(chicago, ended, US, at("2026-06-01T19:59:00Z"))).toBe(true);
    expect(isDialable(chicago, ended, US, at("2026-06-01T20:00:00Z"))).toBe(false);
    expect(next(chicago, ended, US, at("2026-06-01T20:00:00Z"))).toBeNull();
    expect(nextOpening(chicago, ended, US, at("2026-06-02T09:00:00Z"))).toBeNull();
    // Stops overnight, before the next morning's opening.
    expect(next(chicago, schedule({ endAt: at("2026-06-02T12:00:00Z") }), US, at("2026-06-02T03:00:00Z"))).toBeNull();
  });

  it("never opens with no days", () => {
    expect(next(chicago, schedule({ days: [] }), US, at("2026-06-01T12:00:00Z"))).toBeNull();
  });
});

describe("edge cases", () => {
  it("treats a lead with no zones as open whenever the campaign runs", () => {
    expect(isDialable(lead(), ALWAYS, US, at("2026-06-01T07:00:00Z"))).toBe(true);
    expect(isDialable(lead(), schedule({ endAt: at("2026-06-01T06:00:00Z") }), US, at("2026-06-01T07:00:00Z"))).toBe(false);
    expect(nextOpening(lead(), schedule({ startAt: at("2026-06-02T10:00:00Z") }), US, at("2026-06-01T07:00:00Z"))).toEqual({
      at: at("2026-06-02T10:00:00Z"),
      zone: "UTC",
      localTime: "10:00",
    });
  });

  it("has no platform restriction for a country without rules, and matches the country case-insensitively", () => {
    expect(isDialable({ country: "GB", zones: ["Europe/London"] }, ALWAYS, US, at("2026-06-01T02:00:00Z"))).toBe(true);
    expect(isDialable({ country: "us", zones: ["America/Chicago"] }, ALWAYS, US, at("2026-06-01T07:00:00Z"))).toBe(false);
  });

  it("never opens for a country whose entry has no intervals, or a zone the runtime does not know", () => {
    const closed: CountryRules = new Map([["US", []]]);
    expect(next(lead("America/Chicago"), ALWAYS, closed, at("2026-06-01T12:00:00Z"))).toBeNull();
    expect(next(lead("America/Chicago", "Mars/Olympus"), ALWAYS, US, at("2026-06-01T12:00:00Z"))).toBeNull();
  });

  it("returns now when already open", () => {
    expect(next(lead("America/Chicago"), ALWAYS, US, at("2026-06-01T15:07:31Z"))).toBe("2026-06-01T15:07:31.000Z");
  });

  it("gives up past the horizon", () => {
    const sundays = schedule({ days: [7] });
    expect(next(lead("America/Chicago"), sundays, US, at("2026-06-01T12:00:00Z"), 3)).toBeNull();
    expect(next(lead("America/Chicago"), sundays, US, at("2026-06-01T12:00:00Z"), 7)).toBe("2026-06-07T13:00:00.000Z");
  });
});

describe("validateInterval", () => {
  it("accepts a valid interval, including an end of 24:00", () => {
    expect(validateInterval({ days: [1, 2, 3], start: "08:00", end: "21:00" })).toBeNull();
    expect(validateInterval({ days: [7], start: "00:00", end: "24:00" })).toBeNull();
  });

  it.each([
    [{ days: [1], start: "21:00", end: "08:00" }, "later than the start"],
    [{ days: [1], start: "09:00", end: "09:00" }, "later than the start"],
    [{ days: [1], start: "8:00", end: "21:00" }, "24-hour time"],
    [{ days: [1], start: "24:00", end: "24:00" }, "24-hour time"],
    [{ days: [1], start: "08:00", end: "24:30" }, "24-hour time"],
    [{ days: [], start: "08:00", end: "21:00" }, "at least one day"],
    [{ days: [1, 1], start: "08:00", end: "21:00" }, "only once"],
    [{ days: [0], start: "08:00", end: "21:00" }, "1 (Monday) to 7 (Sunday)"],
  ])("explains what is wrong with %j", (interval, problem) => {
    expect(validateInterval(interval)).toContain(problem);
  });
});
