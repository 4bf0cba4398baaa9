// "Why isn't it dialing?": a campaign's pending leads split by whether their calling window is open now, and when
// the next closed one opens (and where). Read from Lead_claim_idx (pending leads by window key), so it costs one
// index-only pass over the pending backlog; cached per campaign for a few seconds, like the rest of the progress.
import { pgPool } from "../pg";
import { CountryRulesCache, keyOpening, windowOpen, type ScheduleColumns } from "../dispatch/windows";

export interface WindowState {
  /** Pending leads inside their window now. */
  inside: number;
  /** Pending leads waiting for their window (local hours, schedule days, scheduled start). */
  outside: number;
  /** The earliest opening among the waiting ones: when, in which zone, at what local time. */
  nextOpening: { at: string; zone: string; localTime: string } | null;
}

const rules = new CountryRulesCache(async () => (await pgPool().query(`SELECT country, intervals FROM "CallingRule"`)).rows);
const CACHE_MS = 5000;
const cache = new Map<string, { at: number; value: Promise<Map<string, WindowState>> }>();

/** After a platform admin changed the calling hours: this process shows the new ones at once. */
export function forgetCallingRules() {
  rules.forget();
  cache.clear();
}

/** Per campaign of this tenant (only these ids; a foreign id simply has no leads here). */
export function windowStates(tenantId: string, campaignIds: string[], now = new Date()): Promise<Map<string, WindowState>> {
  if (campaignIds.length === 0) return Promise.resolve(new Map());
  const key = `${tenantId}:${[...campaignIds].sort().join(",")}`;
  const hit = cache.get(key);
  if (hit && now.getTime() - hit.at < CACHE_MS) return hit.value;
  if (cache.size > 1000) cache.clear();
  const value = load(tenantId, campaignIds, now);
  cache.set(key, { at: now.getTime(), value });
  value.catch(() => cache.delete(key));
  return value;
}

async function load(tenantId: string, campaignIds: string[], now: Date): Promise<Map<string, WindowState>> {
  const pool = pgPool();
  const [{ rows: campaigns }, { rows: groups }, countryRules] = await Promise.all([
    pool.query<ScheduleColumns & { id: string }>(
      `SELECT id, timezone, "scheduleDays", "scheduleStart", "scheduleEnd", "startAt", "endAt" FROM "Campaign" WHERE "tenantId" = $1 AND id = ANY($2::text[])`,
      [tenantId, campaignIds],
    ),
    pool.query<{ campaignId: string; windowKey: string; n: number }>(
      `SELECT "campaignId", "windowKey", count(*)::int AS n FROM "Lead" WHERE "campaignId" = ANY($2::text[]) AND "tenantId" = $1 AND status = 'PENDING' GROUP BY 1, 2`,
      [tenantId, campaignIds],
    ),
    rules.get(),
  ]);
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const out = new Map<string, WindowState>(campaigns.map((c) => [c.id, { inside: 0, outside: 0, nextOpening: null }]));
  for (const g of groups) {
    const campaign = byId.get(g.campaignId);
    const state = out.get(g.campaignId);
    if (!campaign || !state) continue;
    if (windowOpen(g.windowKey, campaign, countryRules, now)) {
      state.inside += g.n;
      continue;
    }
    state.outside += g.n;
    const opening = keyOpening(g.windowKey, campaign, countryRules, now);
    if (opening && (!state.nextOpening || opening.at.getTime() < Date.parse(state.nextOpening.at))) {
      state.nextOpening = { at: opening.at.toISOString(), zone: opening.zone, localTime: opening.localTime };
    }
  }
  return out;
}
