import { describe, expect, it } from "vitest";
import type { ScheduleColumns } from "../dispatch/windows";
import { countryRules } from "../rules/presets";
import { describeLeadWaits, type WaitingLead } from "./lead-waits";

// Tuesday 1 Dec 2026, 11:00 UTC: 05:00 in Chicago, 04:00 in Denver, 01:00 in Honolulu, 12:00 in Paris.
const now = new Date("2026-12-01T11:00:00Z");
const rules = countryRules([
  { country: "US", intervals: [{ days: [1, 2, 3, 4, 5, 6, 7], start: "08:00", end: "21:00" }] },
  // A country whose hours have no interval: closed all the time.
  { country: "ZW", intervals: [] },
]);
const allDay: ScheduleColumns = { timezone: "America/Chicago", scheduleDays: [1, 2, 3, 4, 5, 6, 7], scheduleStart: null, scheduleEnd: null, startAt: null, endAt: null };

let nextId = 1n;
function lead(status: string, windowKey: string, hold: { reason: string; until: Date | null } | null = null): WaitingLead {
  return { id: nextId++, status, windowKey, holdReason: hold?.reason ?? null, nextAttemptAt: hold?.until ?? null };
}

describe("describeLeadWaits", () => {
  it("says when and in which zone each pending lead's window opens, and leaves out leads inside theirs", () => {
    const chicago = lead("PENDING", "US|America/Chicago");
    const honolulu = lead("PENDING", "US|Pacific/Honolulu");
    const paris = lead("PENDING", "FR|Europe/Paris"); // no platform hours for FR: only the campaign's all-day schedule
    const sameKey = lead("PENDING", "US|America/Chicago");
    const waits = describeLeadWaits([chicago, honolulu, paris, sameKey], allDay, rules, now);
    expect(Object.fromEntries(waits)).toEqual({
      [chicago.id.toString()]: "waits for its calling window: opens 08:00 America/Chicago",
      [honolulu.id.toString()]: "waits for its calling window: opens 08:00 Pacific/Honolulu",
      [sameKey.id.toString()]: "waits for its calling window: opens 08:00 America/Chicago",
    });
  });

  it("names the zone that opens last for a number spanning two, and the campaign's own hours when they are tighter", () => {
    // South Dakota's 605: Mountain and Central. Open only once 08:00 has come in Denver too.
    const twoZones = lead("PENDING", "US|America/Denver,America/North_Dakota/Center");
    expect([...describeLeadWaits([twoZones], allDay, rules, now).values()]).toEqual(["waits for its calling window: opens 08:00 America/Denver"]);
    const nineToFive = { ...allDay, scheduleStart: "09:00", scheduleEnd: "17:00" };
    expect([...describeLeadWaits([lead("PENDING", "US|America/Chicago")], nineToFive, rules, now).values()]).toEqual(["waits for its calling window: opens 09:00 America/Chicago"]);
  });

  it("says so when a window does not open within two weeks", () => {
    expect([...describeLeadWaits([lead("PENDING", "ZW|Africa/Harare")], allDay, rules, now).values()]).toEqual(["outside its calling window, which does not open in the next two weeks"]);
  });

  it("gives a held lead its hold reason and until when, and says nothing of other leads", () => {
    const capped = lead("SCHEDULED", "US|America/Chicago", { reason: "frequency cap: the most calls to this number in 24 hours", until: new Date("2026-12-01T14:05:30Z") });
    const retry = lead("SCHEDULED", "US|America/Chicago");
    const done = lead("COMPLETED", "US|America/Chicago");
    const expected = { [capped.id.toString()]: "frequency cap: the most calls to this number in 24 hours (until 2026-12-01 14:05 UTC)" };
    expect(Object.fromEntries(describeLeadWaits([capped, retry, done], allDay, rules, now))).toEqual(expected);
    // The campaign is gone (another tenant's id): held leads still say why, pending ones nothing.
    expect(Object.fromEntries(describeLeadWaits([capped, lead("PENDING", "US|America/Chicago")], null, rules, now))).toEqual(expected);
  });
});
