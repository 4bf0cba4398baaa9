// "Why isn't it dialing?": a campaign's pending leads split by whether their calling window is open now, and when
// the next closed one opens (and where). Read from Lead_claim_idx (pending leads by window key), so it costs one
// index-only pass over the pending backlog; cached per campaign for a few seconds, like the rest of the progress.
import { pgPool } from "../pg";
import { DispatchStore } from "../dispatch/store";
import { CountryRulesCache, keyOpening, windowOpen, type ScheduleColumns } from "../dispatch/windows";

export interface WindowState {
  /** Pending leads inside their window now. */
  inside: number;
  /** Pending leads waiting for their window (local hours, schedule days, scheduled start). */
  outside: number;
  /** The earliest opening among the waiting ones: when, in which zone, at what local time. */
  nextOpening: { at: string; zone: string; localTime: string } | null;
}

const rules = new CountryRulesCache(() => new DispatchStore(pgPool()).callingRules());
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

/** A campaign's not-yet-dialed leads by why they wait (the REST campaign detail and the campaign page). */
export async function waitingReasons(tenantId: string, campaignId: string, counts: { SCHEDULED: number; SUPPRESSED: number }, now = new Date()) {
  const [window, { rows }] = await Promise.all([
    windowStates(tenantId, [campaignId], now).then((m) => m.get(campaignId) ?? { inside: 0, outside: 0, nextOpening: null }),
    pgPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "Lead" WHERE "tenantId" = $1 AND "campaignId" = $2 AND status = 'SCHEDULED' AND "holdReason" IS NOT NULL`, [tenantId, campaignId]),
  ]);
  const held = rows[0]?.n ?? 0;
  return { insideWindow: window.inside, outsideWindow: window.outside, nextOpening: window.nextOpening, held, scheduledRetries: Math.max(0, counts.SCHEDULED - held), suppressed: counts.SUPPRESSED };
}

/**
 * Why each of these leads waits, in words, for the lead table: a pending lead outside its window says when it opens
 * (local time and zone), a held lead gives its hold reason and until when. Leads that are not waiting are absent.
 */
export async function leadWaits(
  tenantId: string,
  campaignId: string,
  leads: { id: bigint; status: string; windowKey: string; holdReason: string | null; nextAttemptAt: Date | null }[],
  now = new Date(),
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const pending = leads.filter((l) => l.status === "PENDING");
  for (const l of leads) if (l.status === "SCHEDULED" && l.holdReason) out.set(l.id.toString(), `${l.holdReason}${l.nextAttemptAt ? ` (until ${l.nextAttemptAt.toISOString().slice(0, 16).replace("T", " ")} UTC)` : ""}`);
  if (pending.length === 0) return out;
  const [{ rows }, countryRules] = await Promise.all([
    pgPool().query<ScheduleColumns>(`SELECT timezone, "scheduleDays", "scheduleStart", "scheduleEnd", "startAt", "endAt" FROM "Campaign" WHERE id = $1 AND "tenantId" = $2`, [campaignId, tenantId]),
    rules.get(),
  ]);
  const campaign = rows[0];
  if (!campaign) return out;
  const byKey = new Map<string, string | null>();
  for (const l of pending) {
    if (!byKey.has(l.windowKey)) byKey.set(l.windowKey, waitsFor(l.windowKey, campaign, countryRules, now));
    const why = byKey.get(l.windowKey);
    if (why) out.set(l.id.toString(), why);
  }
  return out;
}

function waitsFor(key: string, campaign: ScheduleColumns, countryRules: Awaited<ReturnType<CountryRulesCache["get"]>>, now: Date): string | null {
  if (windowOpen(key, campaign, countryRules, now)) return null;
  const opening = keyOpening(key, campaign, countryRules, now);
  return opening ? `waits for its calling window: opens ${opening.localTime} ${opening.zone}` : "outside its calling window, which does not open in the next two weeks";
}
