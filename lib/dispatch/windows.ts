// Calling windows as the scheduler and the callers see them. Leads sharing a window key (country + zones) share
// a window, so the scheduler evaluates each of a campaign's keys once per tick and claims only from the open
// ones (Lead_claim_idx): a lead outside its window is never read, and does not count as backlog in fairness.
import { parseWindowKey } from "../rules/phone-zones";
import { countryRules } from "../rules/presets";
import { isDialable, nextOpening, type CampaignSchedule, type CountryRules, type LeadWindow } from "../rules/windows";
import type { CampaignKey, DispatchStore } from "./store";

/** The campaign columns a window depends on. */
export interface ScheduleColumns {
  timezone: string;
  scheduleDays: number[];
  scheduleStart: string | null;
  scheduleEnd: string | null;
  startAt: Date | null;
  endAt: Date | null;
}

export function campaignSchedule(c: ScheduleColumns): CampaignSchedule {
  return { days: c.scheduleDays, start: c.scheduleStart, end: c.scheduleEnd, startAt: c.startAt, endAt: c.endAt };
}

/**
 * A key's window. The legacy key "" (leads written without zones: imported before calling rules, or seeded by
 * tools) has no country rule to apply; only the campaign's schedule, in the campaign's zone.
 */
export function leadWindow(key: string, campaign: { timezone: string }): LeadWindow {
  const parsed = parseWindowKey(key);
  return parsed.zones.length > 0 ? parsed : { country: parsed.country, zones: [campaign.timezone] };
}

/** Open now for a lead of this key in this campaign: the caller's last check before a dial. */
export function windowOpen(key: string, campaign: ScheduleColumns, rules: CountryRules, now: Date): boolean {
  return isDialable(leadWindow(key, campaign), campaignSchedule(campaign), rules, now);
}

/** When a key's window opens next, and where (for "why isn't it dialing"). */
export function keyOpening(key: string, campaign: ScheduleColumns, rules: CountryRules, now: Date) {
  return nextOpening(leadWindow(key, campaign), campaignSchedule(campaign), rules, now);
}

/** The platform's calling hours (CallingRule rows), re-read at most every `maxAgeMs`. */
export class CountryRulesCache {
  private rules: CountryRules | null = null;
  private loadedAt = 0;

  constructor(
    private readonly load: () => Promise<{ country: string; intervals: unknown }[]>,
    private readonly maxAgeMs = 10_000,
  ) {}

  /** Fixed rules (tests on a fake clock): the table is never read. */
  static fixed(rules: CountryRules): CountryRulesCache {
    const cache = new CountryRulesCache(async () => []);
    cache.rules = rules;
    cache.loadedAt = Number.POSITIVE_INFINITY;
    return cache;
  }

  async get(): Promise<CountryRules> {
    if (this.rules && Date.now() - this.loadedAt < this.maxAgeMs) return this.rules;
    this.rules = countryRules(await this.load());
    this.loadedAt = Date.now();
    return this.rules;
  }
}

/**
 * Each running campaign's window keys (reloaded once a second: keys only change when leads are added) and which
 * are open at a given instant. Window evaluation is memoised per UTC minute: interval bounds are whole local
 * minutes, so within a minute only startAt/endAt can change the answer, and those are checked every time.
 */
export class WindowBook {
  private keys = new Map<string, CampaignKey[]>();
  private loadedAt = 0;
  private memoMinute = -1;
  private memo = new Map<string, boolean>();
  private memoRules: CountryRules | null = null;

  constructor(
    private readonly store: DispatchStore,
    private readonly rules: CountryRulesCache,
    private readonly reloadMs = 1000,
  ) {}

  async refresh(campaigns: { id: string }[], now = Date.now()) {
    const ids = campaigns.map((c) => c.id);
    const stale = now - this.loadedAt >= this.reloadMs;
    const wanted = stale ? ids : ids.filter((id) => !this.keys.has(id));
    if (wanted.length === 0) return;
    const rows = await this.store.windowKeys(wanted);
    const next = stale ? new Map<string, CampaignKey[]>() : this.keys;
    for (const id of wanted) next.set(id, []);
    for (const row of rows) next.get(row.campaignId)!.push(row);
    this.keys = next;
    if (stale) this.loadedAt = now;
  }

  /** The campaign's keys open at `now`; the legacy key "" is always among the candidates (see leadWindow). */
  async openKeys(campaign: { id: string } & ScheduleColumns, now: Date): Promise<{ open: string[]; total: number }> {
    const rules = await this.rules.get();
    if ((campaign.startAt && now < campaign.startAt) || (campaign.endAt && now >= campaign.endAt)) return { open: [], total: 1 };
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== this.memoMinute || rules !== this.memoRules) {
      this.memoMinute = minute;
      this.memoRules = rules;
      this.memo.clear();
    }
    const keys = ["", ...(this.keys.get(campaign.id) ?? []).map((k) => k.key).filter((k) => k !== "")];
    const schedule = { ...campaignSchedule(campaign), startAt: null, endAt: null };
    const signature = `${campaign.timezone}|${campaign.scheduleDays.join("")}|${campaign.scheduleStart}|${campaign.scheduleEnd}`;
    const open: string[] = [];
    for (const key of keys) {
      const memoKey = `${signature}|${key}`;
      let ok = this.memo.get(memoKey);
      if (ok === undefined) {
        ok = isDialable(leadWindow(key, campaign), schedule, rules, new Date(minute * 60_000));
        this.memo.set(memoKey, ok);
      }
      if (ok) open.push(key);
    }
    return { open, total: keys.length };
  }
}
