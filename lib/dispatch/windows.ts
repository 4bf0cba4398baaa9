// Calling windows as the scheduler and the callers see them. Leads sharing a window key (country + zones) share
// a window, so the scheduler evaluates each of a campaign's keys once per tick and claims only from the open
// ones (Lead_claim_idx): a lead outside its window is never read, and does not count as backlog in fairness.
import { parseWindowKey } from "../rules/phone-zones";
import { countryRules } from "../rules/presets";
import { isDialable, nextOpening, type CampaignSchedule, type CountryRules, type LeadWindow } from "../rules/windows";
import type { DispatchStore } from "./store";

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

  /** The next get() reads the table again (after an admin changed the hours, in this process). */
  forget() {
    if (Number.isFinite(this.loadedAt)) this.loadedAt = 0;
  }

  async get(): Promise<CountryRules> {
    if (this.rules && Date.now() - this.loadedAt < this.maxAgeMs) return this.rules;
    this.rules = countryRules(await this.load());
    this.loadedAt = Date.now();
    return this.rules;
  }
}

/**
 * Each running campaign's window keys and schedule, and which keys are open at a given instant. They change only
 * when a schedule is edited or leads with a new key arrive (both wake the scheduler, which reloads: `force`), so
 * they are reloaded every `reloadMs` as a backstop, and a campaign seen for the first time is loaded at once.
 * Answers are memoised per (schedule, key) and UTC minute: interval bounds are whole local minutes, so within a
 * minute only startAt/endAt can change one, and those are checked on every call. Campaigns share schedules and
 * keys, so 10,000 campaigns cost a handful of window evaluations a minute.
 */
export class WindowBook {
  private campaigns = new Map<string, CampaignWindows>();
  private loadedAt = 0;
  private memoMinute = -1;
  private memoRules: CountryRules | null = null;
  private memo = new Map<string, boolean>();
  /** Per campaign, its open keys for `memoMinute` (dropped with the memo, and when its settings are reloaded). */
  private openMemo = new Map<string, string[]>();

  constructor(
    private readonly store: DispatchStore,
    private readonly rules: CountryRulesCache,
    private readonly reloadMs = 10_000,
  ) {}

  /** Loads what is missing or stale and returns the rules to evaluate with, for this tick. */
  async refresh(campaignIds: string[], now = Date.now(), force = false): Promise<CountryRules> {
    const stale = force || now - this.loadedAt >= this.reloadMs;
    const wanted = stale ? campaignIds : campaignIds.filter((id) => !this.campaigns.has(id));
    if (wanted.length > 0) {
      const rows = await this.store.windowSettings(wanted);
      const next = stale ? new Map<string, CampaignWindows>() : this.campaigns;
      for (const row of rows) {
        const keys = ["", ...row.keys.filter((k) => k !== "")];
        const signature = `${row.timezone}|${row.scheduleDays.join("")}|${row.scheduleStart}|${row.scheduleEnd}`;
        next.set(row.id, { ...row, keys, signature });
      }
      this.campaigns = next;
      if (stale) this.loadedAt = now;
      if (stale) this.openMemo.clear();
      else for (const id of wanted) this.openMemo.delete(id);
    }
    return this.rules.get();
  }

  /** The campaign's keys open at `now` and how many it has; the legacy key "" is always a candidate (see leadWindow). */
  openKeys(campaignId: string, now: Date, rules: CountryRules): { open: string[]; total: number } {
    const c = this.campaigns.get(campaignId);
    if (!c) return { open: [], total: 0 };
    if ((c.startAt && now < c.startAt) || (c.endAt && now >= c.endAt)) return { open: [], total: c.keys.length };
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== this.memoMinute || rules !== this.memoRules) {
      this.memoMinute = minute;
      this.memoRules = rules;
      this.memo.clear();
      this.openMemo.clear();
    }
    const known = this.openMemo.get(campaignId);
    if (known) return { open: known, total: c.keys.length };
    const open: string[] = [];
    for (const key of c.keys) {
      const memoKey = `${c.signature}|${key}`;
      let ok = this.memo.get(memoKey);
      if (ok === undefined) {
        ok = isDialable(leadWindow(key, c), { ...campaignSchedule(c), startAt: null, endAt: null }, rules, new Date(minute * 60_000));
        this.memo.set(memoKey, ok);
      }
      if (ok) open.push(key);
    }
    this.openMemo.set(campaignId, open);
    return { open, total: c.keys.length };
  }
}

type CampaignWindows = ScheduleColumns & { id: string; keys: string[]; signature: string };
