import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isDialable, nextDialable, type CampaignSchedule, type CountryRules, type Interval } from "./windows";

// nextDialable only tries a handful of candidate instants; a minute-by-minute scan is the slow truth it must match.

// Clock changes in 2026, where the candidates are hardest to get right, and one quiet day.
const CHANGES = [
  ["America/New_York", "2026-03-08T07:00:00Z"],
  ["America/New_York", "2026-11-01T06:00:00Z"],
  ["America/Denver", "2026-11-01T08:00:00Z"],
  ["Europe/Paris", "2026-03-29T01:00:00Z"],
  ["Europe/Paris", "2026-10-25T01:00:00Z"],
  ["Australia/Lord_Howe", "2026-04-04T15:00:00Z"],
  ["America/Santiago", "2026-09-06T04:00:00Z"],
  ["Pacific/Honolulu", "2026-06-03T12:00:00Z"],
].map(([zone, at]) => ({ zone, at: Date.parse(at) }));
const OTHERS = ["America/North_Dakota/Center", "Pacific/Honolulu", "Asia/Tokyo", "Europe/Paris"];
const HORIZON_DAYS = 2;
const MINUTE = 60_000;

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
const days = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 });
// Quarter hours, often in the small hours, so starts land inside DST gaps and repeated hours.
const quarter = fc.oneof(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 0, max: 12 }));
const span = fc.tuple(quarter, quarter).filter(([a, b]) => a < b).map(([a, b]) => [hhmm(a * 15), hhmm(b * 15)] as const);
const interval: fc.Arbitrary<Interval> = fc.record({ days, span }).map(({ days, span: [start, end] }) => ({ days, start, end }));
const rules: fc.Arbitrary<CountryRules> = fc.option(fc.array(interval, { minLength: 1, maxLength: 3 })).map((list) => new Map(list ? [["US", list]] : []));
// A lead in the changing zone, perhaps with a second zone, at an instant near the change.
const place = fc.record({
  change: fc.constantFrom(...CHANGES),
  other: fc.option(fc.constantFrom(...OTHERS)),
  shift: fc.oneof(fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }), fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 })),
}).map(({ change, other, shift }) => ({ zones: [...new Set([change.zone, other ?? change.zone])], now: change.at + shift }));
const hours = fc.record({ days, span: fc.option(span) });
// Offsets from now, so startAt and endAt fall inside the searched span.
const run = fc.record({ startAt: fc.option(fc.integer({ min: -3_600_000, max: 86_400_000 })), endAt: fc.option(fc.integer({ min: 0, max: 3 * 86_400_000 })) });

describe("nextDialable", () => {
  it("agrees with a minute-by-minute scan", () => {
    fc.assert(
      fc.property(place, rules, hours, run, ({ zones, now }, countryRules, hours, run) => {
        const plan: CampaignSchedule = {
          days: hours.days,
          start: hours.span?.[0] ?? null,
          end: hours.span?.[1] ?? null,
          startAt: run.startAt === null ? null : new Date(now + run.startAt),
          endAt: run.endAt === null ? null : new Date(now + run.endAt),
        };
        const lead = { country: "US", zones };
        const found = nextDialable(lead, plan, countryRules, new Date(now), HORIZON_DAYS);
        expect(found?.getTime() ?? null).toBe(scan(lead, plan, countryRules, now));
      }),
      { numRuns: 120, seed: 20260308 },
    );
  }, 30_000);
});

function scan(lead: { country: string; zones: string[] }, plan: CampaignSchedule, rules: CountryRules, now: number): number | null {
  const from = Math.max(now, plan.startAt?.getTime() ?? now);
  if (isDialable(lead, plan, rules, new Date(from))) return from;
  for (let t = Math.floor(from / MINUTE) * MINUTE + MINUTE; t <= from + HORIZON_DAYS * 86_400_000; t += MINUTE) {
    if (isDialable(lead, plan, rules, new Date(t))) return t;
  }
  return null;
}
