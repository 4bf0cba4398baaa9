import { describe, expect, it } from "vitest";
import { countryRules, DEFAULT_COUNTRY_RULES, PRESETS, type RulePreset } from "./presets";
import { ALWAYS, isDialable, nextDialable, nextOpening, validateInterval } from "./windows";

const at = (iso: string) => new Date(iso);
const preset = (id: RulePreset["id"]) => PRESETS.find((p) => p.id === id)!;
const rulesOf = (p: RulePreset) => countryRules([{ country: p.country, intervals: p.intervals }]);

describe("PRESETS", () => {
  it("are valid and cite their source", () => {
    expect(PRESETS.map((p) => p.id)).toEqual(["us-federal", "us-florida", "france"]);
    for (const p of PRESETS) for (const interval of p.intervals) expect(validateInterval(interval)).toBeNull();
    expect(PRESETS.map((p) => [p.id, p.source])).toEqual([
      ["us-federal", "47 CFR 64.1200(c)(1)"],
      ["us-florida", "Fla. Stat. 501.059(8)"],
      ["france", expect.stringContaining("2022-1313")],
    ]);
  });

  it("cap Florida at 3 calls a day and France at 4 a month", () => {
    expect(preset("us-federal").caps).toEqual({ per24h: null, per30d: null });
    expect(preset("us-florida").caps).toEqual({ per24h: 3, per30d: null });
    expect(preset("france").caps).toEqual({ per24h: null, per30d: 4 });
  });
});

describe("Florida", () => {
  const rules = rulesOf(preset("us-florida"));
  const miami = { country: "US", zones: ["America/New_York"] }; // EDT in June: local = UTC − 4

  it("is open 08:00–20:00 local, every day", () => {
    expect(isDialable(miami, ALWAYS, rules, at("2026-06-06T11:59:00Z"))).toBe(false); // Saturday 07:59
    expect(isDialable(miami, ALWAYS, rules, at("2026-06-06T12:00:00Z"))).toBe(true);
    expect(isDialable(miami, ALWAYS, rules, at("2026-06-06T23:59:00Z"))).toBe(true); // 19:59
    expect(isDialable(miami, ALWAYS, rules, at("2026-06-07T00:00:00Z"))).toBe(false); // 20:00, where federal is still open
    expect(nextOpening(miami, ALWAYS, rules, at("2026-06-07T00:00:00Z"))).toEqual({ at: at("2026-06-07T12:00:00Z"), zone: "America/New_York", localTime: "08:00" });
  });
});

describe("France", () => {
  const rules = rulesOf(preset("france"));
  const paris = { country: "FR", zones: ["Europe/Paris"] }; // CEST in June: local = UTC + 2

  it("is closed at the weekend", () => {
    expect(isDialable(paris, ALWAYS, rules, at("2026-06-06T09:00:00Z"))).toBe(false); // Saturday 11:00
    expect(isDialable(paris, ALWAYS, rules, at("2026-06-07T12:30:00Z"))).toBe(false); // Sunday 14:30
  });

  it("closes for lunch 13:00–14:00 on weekdays", () => {
    expect(isDialable(paris, ALWAYS, rules, at("2026-06-05T10:59:00Z"))).toBe(true); // Friday 12:59
    expect(isDialable(paris, ALWAYS, rules, at("2026-06-05T11:00:00Z"))).toBe(false); // 13:00
    expect(isDialable(paris, ALWAYS, rules, at("2026-06-05T11:30:00Z"))).toBe(false); // 13:30
    expect(isDialable(paris, ALWAYS, rules, at("2026-06-05T12:00:00Z"))).toBe(true); // 14:00
    expect(isDialable(paris, ALWAYS, rules, at("2026-06-05T18:00:00Z"))).toBe(false); // 20:00
    expect(nextOpening(paris, ALWAYS, rules, at("2026-06-05T11:30:00Z"))).toEqual({ at: at("2026-06-05T12:00:00Z"), zone: "Europe/Paris", localTime: "14:00" });
  });

  it("reopens on Monday at 10:00 after the weekend", () => {
    expect(nextDialable(paris, ALWAYS, rules, at("2026-06-05T18:00:00Z"))).toEqual(at("2026-06-08T08:00:00Z"));
    expect(nextOpening(paris, ALWAYS, rules, at("2026-06-06T09:00:00Z"))).toEqual({ at: at("2026-06-08T08:00:00Z"), zone: "Europe/Paris", localTime: "10:00" });
  });

  it("opens at 10:00 local on both sides of the 2026-03-29 clock change", () => {
    expect(nextDialable(paris, ALWAYS, rules, at("2026-03-27T00:00:00Z"))).toEqual(at("2026-03-27T09:00:00Z")); // Friday, CET
    expect(nextDialable(paris, ALWAYS, rules, at("2026-03-27T19:00:00Z"))).toEqual(at("2026-03-30T08:00:00Z")); // Monday, CEST
  });
});

describe("countryRules", () => {
  it("ships US and CA 08:00–21:00 every day", () => {
    const rules = countryRules(DEFAULT_COUNTRY_RULES);
    expect([...rules.keys()].sort()).toEqual(["CA", "US"]);
    expect(rules.get("CA")).toEqual([{ days: [1, 2, 3, 4, 5, 6, 7], start: "08:00", end: "21:00" }]);
    expect(isDialable({ country: "CA", zones: ["America/Toronto"] }, ALWAYS, rules, at("2026-06-01T11:30:00Z"))).toBe(false); // 07:30
  });

  it("drops invalid intervals without throwing and keeps the valid ones", () => {
    const rules = countryRules([
      {
        country: "fr",
        intervals: [{ days: [1], start: "10:00", end: "13:00" }, { days: [1], start: "20:00", end: "08:00" }, { days: [9], start: "10:00", end: "11:00" }, "10-13", null],
      },
    ]);
    expect(rules.get("FR")).toEqual([{ days: [1], start: "10:00", end: "13:00" }]);
  });

  it("closes a country whose intervals are all unusable instead of lifting its restriction", () => {
    const rules = countryRules([{ country: "US", intervals: { start: "08:00" } }]);
    expect(rules.get("US")).toEqual([]);
    expect(nextDialable({ country: "US", zones: ["America/Chicago"] }, ALWAYS, rules, at("2026-06-01T15:00:00Z"))).toBeNull();
  });

  it("adds up several rows for one country", () => {
    const rules = countryRules([
      { country: "US", intervals: [{ days: [1, 2, 3, 4, 5], start: "08:00", end: "21:00" }] },
      { country: "US", intervals: [{ days: [7, 6], start: "10:00", end: "18:00" }] },
    ]);
    expect(rules.get("US")).toHaveLength(2);
    expect(rules.get("US")?.[1].days).toEqual([6, 7]);
  });
});
