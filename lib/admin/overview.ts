// The platform operator's live view: every tenant's load and limits, who got how much of the capacity in the
// last five minutes next to what their weights entitle them to, and the engine's own state.
import type { Queue } from "bullmq";
import { env } from "../env";
import { pgPool } from "../pg";
import { redis } from "../redis";
import { EngineState, BUCKET_MS } from "../dispatch/engine-state";
import { weightedJain } from "../dispatch/fairness";
import { currentLeader } from "../dispatch/leader";
import { createCallsQueue } from "../queue/calls-producer";
import { queueDepth } from "../dispatch/scheduler";
import type { CallJob } from "../queue/schema";

const WINDOW_BUCKETS = 30; // 5 minutes of 10-second buckets

export interface AdminTenantRow {
  id: string;
  name: string;
  createdAt: string;
  members: number;
  weight: number;
  maxConcurrent: number | null;
  maxCps: number | null;
  paused: boolean;
  dedicatedLane: boolean;
  /** ISO time; null = awaiting approval (SIGNUP_MODE=approval). */
  approvedAt: string | null;
  /** Empty = the platform default. */
  allowedCountries: string[];
  allowPremiumNumbers: boolean;
  activeCampaigns: number;
  pendingLeads: number;
  /**
   * Pending leads of running campaigns that could be dialed right now: inside their calling window, as the
   * scheduler last saw it (adminSnapshot), else the campaigns' pending counters.
   */
  dispatchable: number;
  inFlight: number;
  timeToFirstCallMs: number | null;
  dispatches5m: number;
}

export async function adminTenants(): Promise<Omit<AdminTenantRow, "dispatches5m">[]> {
  const { rows } = await pgPool().query(`
    SELECT t.id, t.name, t."createdAt", t.weight, t."maxConcurrent", t."maxCps", t.paused, t."dedicatedLane",
      t."approvedAt", t."allowedCountries", t."allowPremiumNumbers",
      (SELECT count(*) FROM "User" u WHERE u."tenantId" = t.id)::int AS members,
      (SELECT count(*) FROM "Campaign" c WHERE c."tenantId" = t.id AND c.status = 'RUNNING')::int AS "activeCampaigns",
      (SELECT coalesce(sum(c."pendingCount"), 0) FROM "Campaign" c WHERE c."tenantId" = t.id AND c.status IN ('RUNNING', 'PAUSED'))::int AS "pendingLeads",
      (SELECT coalesce(sum(c."pendingCount"), 0) FROM "Campaign" c WHERE c."tenantId" = t.id AND c.status = 'RUNNING')::int AS "dispatchable",
      coalesce(f.n, 0)::int AS "inFlight",
      (SELECT (extract(epoch FROM c."firstDialAt" - c."startedAt") * 1000)::int FROM "Campaign" c
        WHERE c."tenantId" = t.id AND c."startedAt" IS NOT NULL ORDER BY c."startedAt" DESC LIMIT 1) AS "timeToFirstCallMs"
    FROM "Tenant" t
    LEFT JOIN (SELECT "tenantId", count(*) AS n FROM "Lead" WHERE status IN ('QUEUED', 'DIALING') GROUP BY 1) f ON f."tenantId" = t.id
    ORDER BY t."createdAt"`);
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString(), approvedAt: r.approvedAt ? new Date(r.approvedAt).toISOString() : null }));
}

export interface FairnessView {
  bucketMs: number;
  /** Oldest first: each bucket's dispatches per tenant. */
  history: { t: number; perTenant: Record<string, number> }[];
  /**
   * Per tenant that dispatched in the window: its share of dispatches over the last minute, and — if it is
   * backlogged now (it wants more calls than it gets) — the share its weight entitles it to among the
   * backlogged tenants. A tenant whose few calls are all done got everything it asked for: no entitlement.
   */
  shares: { tenantId: string; dispatched: number; share: number; entitled: number | null }[];
  /** Jain's index over achieved/entitled among backlogged tenants over the last minute; null when idle. */
  jain: number | null;
}

const CURRENT_BUCKETS = 6; // the "current window" of the index: the last minute

export function fairnessView(history: { bucketStart: number; perTenant: Record<string, number> }[], tenants: { id: string; weight: number; dispatchable: number; paused: boolean }[]): FairnessView {
  const recent = new Map<string, number>();
  for (const b of history.slice(-CURRENT_BUCKETS)) for (const [t, n] of Object.entries(b.perTenant)) recent.set(t, (recent.get(t) ?? 0) + n);
  const recentSum = [...recent.values()].reduce((a, b) => a + b, 0);
  const backlogged = tenants.filter((t) => !t.paused && t.dispatchable > 0);
  const weightSum = backlogged.reduce((s, t) => s + t.weight, 0);
  const weightOf = new Map(backlogged.map((t) => [t.id, t.weight]));
  const ids = [...new Set([...recent.keys(), ...backlogged.map((t) => t.id)])];
  const shares = ids.map((id) => ({
    tenantId: id,
    dispatched: recent.get(id) ?? 0,
    share: recentSum > 0 ? (recent.get(id) ?? 0) / recentSum : 0,
    entitled: weightOf.has(id) && weightSum > 0 ? weightOf.get(id)! / weightSum : null,
  }));
  const measured = shares.filter((s) => s.entitled !== null);
  const measuredSum = measured.reduce((a, s) => a + s.dispatched, 0);
  const jain = measuredSum > 0 ? weightedJain(measured.map((s) => s.dispatched / measuredSum), measured.map((s) => weightOf.get(s.tenantId)!)) : null;
  return { bucketMs: BUCKET_MS, history: history.map((b) => ({ t: b.bucketStart, perTenant: b.perTenant })), shares: shares.sort((a, b) => b.dispatched - a.dispatched), jain };
}

export async function engineOverview() {
  const config = env();
  const state = new EngineState(redis(), config.QUEUE_PREFIX);
  const [leader, lastTick, callers, doubt] = await Promise.all([
    currentLeader(pgPool(), `${config.QUEUE_PREFIX}:scheduler`),
    state.lastTick(),
    state.liveCallers(),
    pgPool().query(`SELECT count(*)::int AS n, min("inDoubtSince") AS oldest FROM "CallAttempt" WHERE "inDoubtSince" IS NOT NULL AND outcome IS NULL`),
  ]);
  const queue = sharedQueue();
  const [depth, counts] = await Promise.all([queueDepth(queue), queue.getJobCounts("wait", "active", "delayed", "failed", "completed")]);
  const sharedConcurrency = callers.filter((c) => !c.lane).reduce((s, c) => s + c.concurrency, 0);
  return {
    mode: config.DISPATCH_MODE,
    provider: config.TELEPHONY_PROVIDER,
    tickMs: config.SCHEDULER_TICK_MS,
    leader,
    lastTick,
    callers: callers.map((c) => ({ id: c.id, concurrency: c.concurrency, lane: c.lane, host: c.host, pid: c.pid, heartbeatAgoMs: Date.now() - c.heartbeatAt })),
    queue: { depth, target: config.QUEUE_TARGET_DEPTH ?? 2 * sharedConcurrency, counts },
    /** Dial requests whose fate the provider has not told yet (their leads wait; they are never re-dialed). */
    inDoubt: { count: doubt.rows[0].n as number, oldestAt: doubt.rows[0].oldest ? new Date(doubt.rows[0].oldest).getTime() : null },
  };
}

export async function adminSnapshot() {
  const state = new EngineState(redis(), env().QUEUE_PREFIX);
  const [listed, history, engine, dialable] = await Promise.all([adminTenants(), state.dispatchHistory(WINDOW_BUCKETS), engineOverview(), state.dialable()]);
  // What the scheduler could dial now (inside calling windows); the counters only while no scheduler reports.
  const tenants = dialable ? listed.map((t) => ({ ...t, dispatchable: dialable[t.id] ?? 0 })) : listed;
  // A tenant awaiting approval is held like a paused one: not owed a share.
  const fairness = fairnessView(history, tenants.map((t) => ({ ...t, paused: t.paused || t.approvedAt === null })));
  const totals = new Map<string, number>();
  for (const b of history) for (const [t, n] of Object.entries(b.perTenant)) totals.set(t, (totals.get(t) ?? 0) + n);
  return {
    at: Date.now(),
    tenants: tenants.map((t) => ({ ...t, dispatches5m: totals.get(t.id) ?? 0 })),
    fairness,
    engine,
    platform: { allowedCountries: env().ALLOWED_COUNTRIES, signupMode: env().SIGNUP_MODE },
  };
}

export type AdminSnapshot = Awaited<ReturnType<typeof adminSnapshot>>;

const g = globalThis as unknown as { fairdialAdminQueue?: Queue<CallJob> };

function sharedQueue() {
  g.fairdialAdminQueue ??= createCallsQueue();
  return g.fairdialAdminQueue;
}
