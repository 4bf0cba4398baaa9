// "Why isn't it dialing?": a campaign's pending leads split by whether their calling window is open now, and when
// the next closed one opens (and where). Read from Lead_claim_idx (pending leads by window key), so it costs one
// index-only pass over the pending backlog; cached per campaign for a few seconds, like the rest of the progress.
// And the due leads held back (a frequency cap, another campaign calling the number), by why.
import { pgPool } from "../pg";
import { DispatchStore } from "../dispatch/store";
import { CountryRulesCache, keyOpening, windowOpen, type ScheduleColumns } from "../dispatch/windows";
import { frequencyCapped, holdKind, NO_HELD_LEADS, type HeldLeads } from "../rules/holds";
import { describeLeadWaits, type WaitingLead } from "./lead-waits";

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
  const [window, held] = await Promise.all([
    windowStates(tenantId, [campaignId], now).then((m) => m.get(campaignId) ?? { inside: 0, outside: 0, nextOpening: null }),
    heldLeads(tenantId, [campaignId]),
  ]);
  const capped = frequencyCapped(held);
  const all = capped + held.numberInUse;
  return {
    insideWindow: window.inside,
    outsideWindow: window.outside,
    nextOpening: window.nextOpening,
    // `held` predates the split and stays their sum.
    held: all,
    frequencyCapped: capped,
    numberInUse: held.numberInUse,
    frequencyCapReleaseAt: held.nextCapReleaseAt,
    scheduledRetries: Math.max(0, counts.SCHEDULED - all),
    suppressed: counts.SUPPRESSED,
  };
}

/**
 * The scheduled leads of these campaigns held back although due, by hold (lib/rules/holds.ts), with the tenant's
 * caps for the words. One pass over the campaigns' scheduled leads (Lead(campaignId, status, id)).
 */
export async function heldLeads(tenantId: string, campaignIds: string[]): Promise<HeldLeads> {
  if (campaignIds.length === 0) return NO_HELD_LEADS;
  const pool = pgPool();
  const [{ rows }, { rows: tenants }] = await Promise.all([
    pool.query<{ reason: string; n: number; next: Date | null }>(
      `SELECT "holdReason" AS reason, count(*)::int AS n, min("nextAttemptAt") AS next FROM "Lead"
       WHERE "tenantId" = $1 AND "campaignId" = ANY($2::text[]) AND status = 'SCHEDULED' AND "holdReason" IS NOT NULL GROUP BY 1`,
      [tenantId, campaignIds],
    ),
    pool.query<{ callsPer24h: number | null; callsPer30d: number | null }>(`SELECT "callsPer24h", "callsPer30d" FROM "Tenant" WHERE id = $1`, [tenantId]),
  ]);
  const held = { ...NO_HELD_LEADS, caps: { per24h: tenants[0]?.callsPer24h ?? null, per30d: tenants[0]?.callsPer30d ?? null } };
  let release: number | null = null;
  for (const row of rows) {
    const kind = holdKind(row.reason);
    held[kind] += row.n;
    if (kind !== "numberInUse" && row.next && (release === null || row.next.getTime() < release)) release = row.next.getTime();
  }
  return { ...held, nextCapReleaseAt: release === null ? null : new Date(release).toISOString() };
}

/** Why each of these leads waits, in words, for the lead table (see describeLeadWaits). */
export async function leadWaits(tenantId: string, campaignId: string, leads: WaitingLead[], now = new Date()): Promise<Map<string, string>> {
  if (!leads.some((l) => l.status === "PENDING")) return describeLeadWaits(leads, null, new Map(), now);
  const [{ rows }, countryRules] = await Promise.all([
    pgPool().query<ScheduleColumns>(`SELECT timezone, "scheduleDays", "scheduleStart", "scheduleEnd", "startAt", "endAt" FROM "Campaign" WHERE id = $1 AND "tenantId" = $2`, [campaignId, tenantId]),
    rules.get(),
  ]);
  return describeLeadWaits(leads, rows[0] ?? null, countryRules, now);
}
