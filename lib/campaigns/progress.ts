// Live progress snapshots for the campaign page and the tenant dashboard, and the Server-Sent Events stream
// that carries them. Snapshots are plain JSON (dates as ISO strings): they go over the wire as they are.
import type { CampaignStatus } from "@prisma/client";
import { db } from "../db";
import { NotFoundError } from "../errors";
import { countArchivedCampaigns, statusCounts, statusCountsByCampaign, type StatusCounts } from "./data";
import { LEAD_STATUSES, TERMINAL_LEAD_STATUSES } from "./schema";
import { callersServe } from "../tenants/lane-status";
import { frequencyCapped, type HeldLeads } from "../rules/holds";
import { heldLeads, windowStates, type WindowState } from "./window-state";

export const CHART_MINUTES = 15;
/** The ETA uses the dial rate of the last few minutes: recent enough to follow a pause or a cap change. */
const RATE_WINDOW_MINUTES = 5;
/** Right after the first dial a handful of calls would extrapolate wildly; never divide by less than this. */
const MIN_RATE_WINDOW_MS = 15_000;
const MINUTE_MS = 60_000;
/** Many viewers of one campaign share one set of queries per interval. */
const CAMPAIGN_CACHE_MS = 500;
const TENANT_CACHE_MS = 1000;

export interface MinuteBucket {
  /** Start of the minute, ISO. */
  minute: string;
  calls: number;
}

export interface CampaignProgress {
  campaignId: string;
  status: CampaignStatus;
  counts: StatusCounts;
  total: number;
  terminal: number;
  startedAt: string | null;
  firstDialAt: string | null;
  completedAt: string | null;
  timeToFirstCallMs: number | null;
  /** Calls dialed per minute, oldest first, the last one being the current (partial) minute. */
  callsPerMinute: MinuteBucket[];
  /**
   * Seconds until the leads dialable now (pending, queued, dialing) are done at the recent rate; scheduled
   * retries wait for their time and are not in it. Null when not running or nothing was dialed recently.
   */
  etaSeconds: number | null;
  /** The earliest scheduled retry, if any. */
  nextRetryAt: string | null;
  /** Pending leads inside / outside their calling window and the next opening (running or paused campaigns). */
  window: WindowState | null;
  /** Scheduled leads held back although due, by why (null when nothing is scheduled). */
  held: HeldLeads | null;
}

/** Cached for ~500 ms per campaign; throws NotFoundError for an unknown or foreign campaign. */
export function campaignProgress(tenantId: string, campaignId: string): Promise<CampaignProgress> {
  return cached(`c:${tenantId}:${campaignId}`, CAMPAIGN_CACHE_MS, () => loadCampaignProgress(tenantId, campaignId, new Date()));
}

/** After a status change the next snapshot must show it, not a cached one from before. */
export function forgetProgress(tenantId: string, campaignId: string) {
  cache.delete(`c:${tenantId}:${campaignId}`);
  cache.delete(`t:${tenantId}`);
}

async function loadCampaignProgress(tenantId: string, campaignId: string, now: Date): Promise<CampaignProgress> {
  const since = minuteStart(now.getTime()) - (CHART_MINUTES - 1) * MINUTE_MS;
  // Three cheap queries at once: the campaign row, an index-only groupBy, and an index range on dialedAt.
  const [campaign, counts, rows] = await Promise.all([
    db.campaign.findFirst({ where: { id: campaignId, tenantId }, select: { status: true, startedAt: true, firstDialAt: true, completedAt: true } }),
    statusCounts(tenantId, campaignId),
    // Minutes since the epoch, so no time zone setting of the server or the session can shift a bucket.
    db.$queryRaw<{ minute: number; calls: number }[]>`
      SELECT (extract(epoch FROM date_trunc('minute', "dialedAt")) / 60)::int AS minute, count(*)::int AS calls
      FROM "CallAttempt"
      WHERE "tenantId" = ${tenantId} AND "campaignId" = ${campaignId}
        AND "dialedAt" >= to_timestamp(${since / 1000}::double precision) AT TIME ZONE 'UTC'
      GROUP BY 1`,
  ]);
  if (!campaign) throw new NotFoundError("Campaign not found");
  const [nextRetry, held] =
    counts.SCHEDULED > 0
      ? await Promise.all([
          db.lead.findFirst({ where: { campaignId, tenantId, status: "SCHEDULED" }, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } }),
          heldLeads(tenantId, [campaignId]),
        ])
      : [null, null];
  const window = (campaign.status === "RUNNING" || campaign.status === "PAUSED") && counts.PENDING > 0 ? ((await windowStates(tenantId, [campaignId], now)).get(campaignId) ?? null) : null;
  const callsPerMinute = fillMinuteBuckets(rows.map((r) => ({ minute: r.minute * MINUTE_MS, calls: r.calls })), now);
  const total = sumCounts(counts);
  const terminal = terminalCount(counts);
  const rate = recentDialRate(callsPerMinute, now, campaign.firstDialAt);
  return {
    campaignId,
    status: campaign.status,
    counts,
    total,
    terminal,
    startedAt: iso(campaign.startedAt),
    firstDialAt: iso(campaign.firstDialAt),
    completedAt: iso(campaign.completedAt),
    timeToFirstCallMs: campaign.startedAt && campaign.firstDialAt ? Math.max(0, campaign.firstDialAt.getTime() - campaign.startedAt.getTime()) : null,
    callsPerMinute,
    etaSeconds: campaign.status === "RUNNING" ? estimateEtaSeconds(counts.PENDING + counts.QUEUED + counts.DIALING, rate) : null,
    nextRetryAt: iso(nextRetry?.nextAttemptAt ?? null),
    window,
    held,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Tenant dashboard

export type IdleReason =
  | { kind: "paused" }
  /** The tenant's concurrent-call limit (Tenant.maxConcurrent) is reached: `limit` calls in flight. */
  | { kind: "at_cap"; limit: number }
  | { kind: "no_running_campaigns" }
  | { kind: "waiting_for_dispatch" }
  | { kind: "retries_scheduled"; nextAt: string | null }
  /** Every remaining lead waits, some (or all: `retries` = 0) at a frequency cap; the next is due at `nextAt`. */
  | { kind: "frequency_capped"; held: HeldLeads; retries: number; nextAt: string | null }
  | { kind: "no_callers" }
  /** Every pending lead is outside its calling window; the first opens at `at` (local `localTime` in `zone`). */
  | { kind: "outside_window"; waiting: number; at: string | null; zone: string | null; localTime: string | null }
  | { kind: "all_suppressed"; suppressed: number }
  | { kind: "no_pending_leads" };

export interface CampaignSummary {
  id: string;
  name: string;
  status: CampaignStatus;
  total: number;
  terminal: number;
  createdAt: string;
}

export interface TenantProgress {
  /** Archived campaigns are left out; `archivedCount` says how many there are. */
  campaigns: CampaignSummary[];
  archivedCount: number;
  /** Leads of this tenant queued or dialing: the lines it holds. */
  linesInUse: number;
  /** Null = unlimited. */
  maxConcurrent: number | null;
  callsToday: number;
  talkSecondsToday: number;
  /** Why nothing (more) is being dialed; null while calls are going out normally. */
  idle: IdleReason | null;
}

export function tenantProgress(tenantId: string): Promise<TenantProgress> {
  return cached(`t:${tenantId}`, TENANT_CACHE_MS, () => loadTenantProgress(tenantId, new Date()));
}

async function loadTenantProgress(tenantId: string, now: Date): Promise<TenantProgress> {
  const [tenant, campaigns, archivedCount, linesInUse, usage] = await Promise.all([
    db.tenant.findUnique({ where: { id: tenantId }, select: { paused: true, maxConcurrent: true } }),
    db.campaign.findMany({
      where: { tenantId, archivedAt: null },
      orderBy: { createdAt: "desc" },
      take: 100,
      select: { id: true, name: true, status: true, totalLeads: true, createdAt: true },
    }),
    countArchivedCampaigns(tenantId),
    db.lead.count({ where: { tenantId, status: { in: ["QUEUED", "DIALING"] } } }),
    db.$queryRaw<{ calls: number; seconds: number }[]>`
      SELECT count(*)::int AS calls,
             coalesce(sum(extract(epoch FROM ("endedAt" - "answeredAt"))) FILTER (WHERE "answeredAt" IS NOT NULL AND "endedAt" > "answeredAt"), 0)::float8 AS seconds
      FROM "CallAttempt"
      WHERE "tenantId" = ${tenantId} AND "dialedAt" >= to_timestamp(${startOfUtcDay(now) / 1000}::double precision) AT TIME ZONE 'UTC'`,
  ]);
  if (!tenant) throw new NotFoundError("Tenant not found");
  // A draft has dialed nothing and a completed campaign has finished every lead: only the others are counted.
  const counted = campaigns.filter((c) => c.status !== "DRAFT" && c.status !== "COMPLETED").map((c) => c.id);
  const counts = await statusCountsByCampaign(tenantId, counted);
  const running = campaigns.filter((c) => c.status === "RUNNING").map((c) => c.id);
  const needsLeadCheck = !tenant.paused && linesInUse === 0 && running.length > 0;
  const [windows, nextRetry, callersOnline, held] = needsLeadCheck
    ? await Promise.all([
        windowStates(tenantId, running, now),
        db.lead.aggregate({ where: { tenantId, campaignId: { in: running }, status: "SCHEDULED" }, _min: { nextAttemptAt: true }, _count: { _all: true } }),
        callersServe(tenantId),
        heldLeads(tenantId, running),
      ])
    : [null, null, null, null];
  const waiting = [...(windows?.values() ?? [])];
  const opening = waiting.map((w) => w.nextOpening).filter((o) => o !== null).sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0] ?? null;
  return {
    campaigns: campaigns.map((c) => {
      const byStatus = counts.get(c.id);
      const total = byStatus ? sumCounts(byStatus) : c.totalLeads;
      const terminal = byStatus ? terminalCount(byStatus) : c.status === "COMPLETED" ? c.totalLeads : 0;
      return { id: c.id, name: c.name, status: c.status, total, terminal, createdAt: c.createdAt.toISOString() };
    }),
    archivedCount,
    linesInUse,
    maxConcurrent: tenant.maxConcurrent,
    callsToday: usage[0]?.calls ?? 0,
    talkSecondsToday: Math.round(usage[0]?.seconds ?? 0),
    idle: idleReason({
      paused: tenant.paused,
      linesInUse,
      maxConcurrent: tenant.maxConcurrent,
      runningCampaigns: running.length,
      hasPending: waiting.some((w) => w.inside > 0),
      scheduledRetries: nextRetry?._count._all ?? 0,
      nextRetryAt: nextRetry?._min.nextAttemptAt ?? null,
      callersOnline,
      outsideWindow: waiting.reduce((sum, w) => sum + w.outside, 0),
      nextOpening: opening,
      suppressed: running.reduce((sum, id) => sum + (counts.get(id)?.SUPPRESSED ?? 0), 0),
      held,
    }),
  };
}


// ---------------------------------------------------------------------------------------------------------
// Pure helpers (unit tested)

/** Exactly CHART_MINUTES buckets ending with the current minute; minutes without calls are 0. */
export function fillMinuteBuckets(rows: { minute: number; calls: number }[], now: Date, minutes = CHART_MINUTES): MinuteBucket[] {
  const byMinute = new Map(rows.map((r) => [minuteStart(r.minute), r.calls]));
  const last = minuteStart(now.getTime());
  return Array.from({ length: minutes }, (_, i) => {
    const start = last - (minutes - 1 - i) * MINUTE_MS;
    return { minute: new Date(start).toISOString(), calls: byMinute.get(start) ?? 0 };
  });
}

/**
 * Dials per second over the last RATE_WINDOW_MINUTES buckets (the current one partial), measured from the
 * first dial when the campaign has not been dialing that long.
 */
export function recentDialRate(buckets: MinuteBucket[], now: Date, firstDialAt: Date | null): number {
  const recent = buckets.slice(-RATE_WINDOW_MINUTES);
  if (recent.length === 0) return 0;
  const calls = recent.reduce((sum, b) => sum + b.calls, 0);
  if (calls === 0) return 0;
  let from = Date.parse(recent[0]!.minute);
  if (firstDialAt && firstDialAt.getTime() > from) from = firstDialAt.getTime();
  const elapsedMs = Math.max(now.getTime() - from, MIN_RATE_WINDOW_MS);
  return calls / (elapsedMs / 1000);
}

/** Seconds until every remaining lead has been dialed at the current rate; null when the rate is unknown. */
export function estimateEtaSeconds(remaining: number, dialsPerSecond: number): number | null {
  if (remaining <= 0) return 0;
  if (!(dialsPerSecond > 0)) return null;
  return Math.ceil(remaining / dialsPerSecond);
}

export interface IdleInput {
  paused: boolean;
  linesInUse: number;
  maxConcurrent: number | null;
  runningCampaigns: number;
  hasPending: boolean;
  scheduledRetries: number;
  nextRetryAt: Date | null;
  /** Whether any caller that serves this tenant is online; null = unknown (then nothing is claimed about it). */
  callersOnline?: boolean | null;
  /** Pending leads outside their calling window, and when the first of them opens. */
  outsideWindow?: number;
  nextOpening?: { at: string; zone: string; localTime: string } | null;
  /** Leads of the running campaigns on a do-not-call list. */
  suppressed?: number;
  /** The scheduled leads of the running campaigns held back although due (among `scheduledRetries`). */
  held?: HeldLeads | null;
}

/** The first reason that explains why no (more) calls are going out, in the order a user should fix them. */
export function idleReason(s: IdleInput): IdleReason | null {
  if (s.paused) return { kind: "paused" };
  if (s.maxConcurrent !== null && s.linesInUse >= s.maxConcurrent) return { kind: "at_cap", limit: s.maxConcurrent };
  if (s.linesInUse > 0) return null;
  if (s.runningCampaigns === 0) return { kind: "no_running_campaigns" };
  const work = s.hasPending || (s.outsideWindow ?? 0) > 0 || s.scheduledRetries > 0;
  if (work && s.callersOnline === false) return { kind: "no_callers" };
  if (s.hasPending) return { kind: "waiting_for_dispatch" };
  if ((s.outsideWindow ?? 0) > 0) {
    const o = s.nextOpening ?? null;
    return { kind: "outside_window", waiting: s.outsideWindow!, at: o?.at ?? null, zone: o?.zone ?? null, localTime: o?.localTime ?? null };
  }
  if (s.scheduledRetries > 0) {
    const capped = s.held ? frequencyCapped(s.held) : 0;
    if (capped > 0) return { kind: "frequency_capped", held: s.held!, retries: Math.max(0, s.scheduledRetries - capped - s.held!.numberInUse), nextAt: iso(s.nextRetryAt) };
    return { kind: "retries_scheduled", nextAt: iso(s.nextRetryAt) };
  }
  if ((s.suppressed ?? 0) > 0) return { kind: "all_suppressed", suppressed: s.suppressed! };
  return { kind: "no_pending_leads" };
}

export function terminalCount(counts: StatusCounts): number {
  return TERMINAL_LEAD_STATUSES.reduce((sum, s) => sum + counts[s], 0);
}

function sumCounts(counts: StatusCounts): number {
  return LEAD_STATUSES.reduce((sum, s) => sum + counts[s], 0);
}

function minuteStart(ms: number) {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

function startOfUtcDay(now: Date) {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

function iso(d: Date | null) {
  return d ? d.toISOString() : null;
}

const cache = new Map<string, { at: number; value: Promise<unknown> }>();

/** Shares one in-flight or recent load per key; a failed load is forgotten at once. */
function cached<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>;
  if (cache.size > 1000) for (const [k, v] of cache) if (now - v.at >= TENANT_CACHE_MS) cache.delete(k);
  const value = load();
  const entry = { at: now, value };
  cache.set(key, entry);
  value.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return value;
}
