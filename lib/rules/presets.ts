// Ready-made calling rules for the settings page, and the parsing of the platform's per-country rules table.
import { intervalSchema } from "./schema";
import type { CountryRules, Interval } from "./windows";

export interface FrequencyCaps { per24h: number | null; per30d: number | null }
export interface RulePreset { id: "us-federal" | "us-florida" | "france"; label: string; country: string; intervals: Interval[]; caps: FrequencyCaps; source: string }

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const WEEKDAYS = [1, 2, 3, 4, 5];

// The legal texts, so a reviewer can check each figure: hours are the called party's local time.
export const PRESETS: readonly RulePreset[] = [
  {
    id: "us-federal",
    label: "United States (federal): 8 am – 9 pm every day",
    country: "US",
    intervals: [{ days: EVERY_DAY, start: "08:00", end: "21:00" }],
    caps: { per24h: null, per30d: null },
    source: "47 CFR 64.1200(c)(1)",
  },
  {
    id: "us-florida",
    label: "Florida: 8 am – 8 pm every day, at most 3 calls in 24 hours",
    country: "US",
    intervals: [{ days: EVERY_DAY, start: "08:00", end: "20:00" }],
    caps: { per24h: 3, per30d: null },
    source: "Fla. Stat. 501.059(8)",
  },
  {
    id: "france",
    label: "France: weekdays 10:00–13:00 and 14:00–20:00, at most 4 calls in 30 days",
    country: "FR",
    intervals: [
      { days: WEEKDAYS, start: "10:00", end: "13:00" },
      { days: WEEKDAYS, start: "14:00", end: "20:00" },
    ],
    caps: { per24h: null, per30d: 4 },
    source: "Décret n° 2022-1313 du 13 octobre 2022",
  },
];

/** The platform defaults a fresh install ships: US and CA 08:00–21:00 every day. */
export const DEFAULT_COUNTRY_RULES: ReadonlyArray<{ country: string; intervals: Interval[] }> = [
  { country: "US", intervals: [{ days: EVERY_DAY, start: "08:00", end: "21:00" }] },
  { country: "CA", intervals: [{ days: EVERY_DAY, start: "08:00", end: "21:00" }] },
];

/**
 * Rows of the country-rules table (intervals = JSON) as CountryRules, keyed by upper-case country code.
 * Invalid intervals are dropped without throwing, but a country keeps its entry even when none survive:
 * an entry with no interval is closed all the time, which is the safe reading of a broken rule (no entry at
 * all would mean no restriction). Several rows for one country add up.
 */
export function countryRules(rows: ReadonlyArray<{ country: string; intervals: unknown }>): CountryRules {
  const rules = new Map<string, Interval[]>();
  for (const row of rows) {
    const country = row.country.trim().toUpperCase();
    const kept = rules.get(country) ?? [];
    const candidates: unknown[] = Array.isArray(row.intervals) ? row.intervals : [];
    for (const candidate of candidates) {
      const parsed = intervalSchema.safeParse(candidate);
      if (parsed.success) kept.push({ days: [...parsed.data.days].sort((a, b) => a - b), start: parsed.data.start, end: parsed.data.end });
    }
    rules.set(country, kept);
  }
  return rules;
}
