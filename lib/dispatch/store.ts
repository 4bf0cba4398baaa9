// Every Postgres statement of the dispatch engine, set-based: one statement per tick step or per batch of
// jobs, never one per lead. Postgres is the source of truth; Redis only carries pointers (attempt ids).
import type { CallOutcome, LeadStatus } from "@prisma/client";
import type { Pool } from "pg";

export interface RunningCampaign {
  id: string;
  tenantId: string;
  pendingCount: number;
  weight: number;
  maxConcurrent: number | null;
  maxCps: number | null;
  /** Paused by an admin, or not approved yet: either way nothing of the tenant is dispatched. */
  paused: boolean;
  dedicatedLane: boolean;
}

export interface Claimed {
  attemptId: string;
  leadId: string;
  tenantId: string;
  campaignId: string;
}

export class DispatchStore {
  constructor(private readonly pool: Pool) {}

  /** Running campaigns with their tenant's settings, in start order within each tenant. */
  async runningCampaigns(): Promise<RunningCampaign[]> {
    const { rows } = await this.pool.query(`
      SELECT c.id, c."tenantId", c."pendingCount", t.weight, t."maxConcurrent", t."maxCps", (t.paused OR t."approvedAt" IS NULL) AS paused, t."dedicatedLane"
      FROM "Campaign" c JOIN "Tenant" t ON t.id = c."tenantId"
      WHERE c.status = 'RUNNING'
      ORDER BY c."startedAt", c.id`);
    return rows;
  }

  /** Calls in flight per tenant (queued + dialing), and how many of them are still waiting in the queue. */
  async inFlightByTenant(): Promise<Map<string, { inFlight: number; queued: number }>> {
    const { rows } = await this.pool.query(`
      SELECT "tenantId", count(*)::int AS in_flight, (count(*) FILTER (WHERE status = 'QUEUED'))::int AS queued
      FROM "Lead" WHERE status IN ('QUEUED', 'DIALING') GROUP BY "tenantId"`);
    return new Map(rows.map((r) => [r.tenantId as string, { inFlight: r.in_flight as number, queued: r.queued as number }]));
  }

  /** Retries whose time has come become dispatchable again. */
  async releaseDueRetries(limit = 10_000): Promise<number> {
    const { rows } = await this.pool.query(
      `WITH due AS (
         UPDATE "Lead" SET status = 'PENDING', "updatedAt" = now()
         WHERE id IN (SELECT id FROM "Lead" WHERE status = 'SCHEDULED' AND "nextAttemptAt" <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING "campaignId"
       ), counts AS (SELECT "campaignId", count(*)::int AS n FROM due GROUP BY 1),
       bump AS (UPDATE "Campaign" c SET "pendingCount" = c."pendingCount" + counts.n FROM counts WHERE c.id = counts."campaignId" RETURNING 1)
       SELECT coalesce(sum(n), 0)::int AS released FROM counts`,
      [limit],
    );
    return rows[0].released;
  }

  /**
   * Atomically claims up to n pending leads per campaign (oldest first, skipping rows another scheduler holds),
   * moves them to queued, creates their attempt rows and lowers the campaigns' pending counters.
   */
  async claim(requests: { campaignId: string; n: number }[]): Promise<Claimed[]> {
    if (requests.length === 0) return [];
    const { rows } = await this.pool.query(
      `WITH req AS (
         SELECT r.campaign_id, r.n FROM unnest($1::text[], $2::int[]) AS r(campaign_id, n)
         JOIN "Campaign" c ON c.id = r.campaign_id AND c.status = 'RUNNING'
         -- Held tenants are left out by the allocation already; this also covers a pause or an unapproved
         -- tenant between the scheduler's read and its claim.
         JOIN "Tenant" t ON t.id = c."tenantId" AND NOT t.paused AND t."approvedAt" IS NOT NULL
       ), picked AS (
         SELECT l.id FROM req CROSS JOIN LATERAL (
           -- Ordered like Lead_campaignId_status_id_idx, so the planner walks that index and never the primary
           -- key (an "ORDER BY id" lets it scan Lead_pkey and filter, which grows with the table).
           SELECT id FROM "Lead" WHERE "campaignId" = req.campaign_id AND status = 'PENDING'
           ORDER BY "campaignId", status, id LIMIT req.n FOR UPDATE SKIP LOCKED
         ) l
       ), upd AS (
         UPDATE "Lead" l SET status = 'QUEUED', "nextAttemptAt" = NULL, "updatedAt" = now(),
           -- The next attempt number also respects attempt rows the counter missed (imported history, manual
           -- fixes), so one inconsistent lead can never make the whole claim fail on the unique key.
           attempts = greatest(l.attempts, coalesce((SELECT max(a."attemptNumber") FROM "CallAttempt" a WHERE a."leadId" = l.id), 0)) + 1
         WHERE l.id = ANY(ARRAY(SELECT id FROM picked))
         RETURNING l.id, l."tenantId", l."campaignId", l.attempts
       ), att AS (
         INSERT INTO "CallAttempt" (id, "tenantId", "campaignId", "leadId", "attemptNumber", "queuedAt")
         SELECT gen_random_uuid()::text, "tenantId", "campaignId", id, attempts, now() FROM upd
         RETURNING id, "leadId", "tenantId", "campaignId"
       ), lowered AS (
         UPDATE "Campaign" c SET "pendingCount" = GREATEST(0, c."pendingCount" - x.n)
         FROM (SELECT "campaignId", count(*)::int AS n FROM upd GROUP BY 1) x WHERE c.id = x."campaignId"
         RETURNING 1
       )
       SELECT id AS "attemptId", "leadId"::text AS "leadId", "tenantId", "campaignId" FROM att ORDER BY "leadId"`,
      [requests.map((r) => r.campaignId), requests.map((r) => r.n)],
    );
    return rows;
  }

  /** A campaign that gave fewer leads than its counter promised gets its counter corrected. */
  async recountPending(campaignIds: string[]) {
    if (campaignIds.length === 0) return;
    await this.pool.query(
      `UPDATE "Campaign" c SET "pendingCount" = (SELECT count(*) FROM "Lead" l WHERE l."campaignId" = c.id AND l.status = 'PENDING')::int
       WHERE c.id = ANY($1::text[])`,
      [campaignIds],
    );
  }

  /** Running campaigns where no lead can be dialed any more become completed. */
  async completeFinished(campaignIds?: string[]): Promise<string[]> {
    const { rows } = await this.pool.query(
      `UPDATE "Campaign" c SET status = 'COMPLETED', "completedAt" = now()
       WHERE c.status = 'RUNNING' AND c."pendingCount" = 0 AND ($1::text[] IS NULL OR c.id = ANY($1::text[]))
         AND NOT EXISTS (SELECT 1 FROM "Lead" l WHERE l."campaignId" = c.id AND l.status IN ('PENDING', 'SCHEDULED', 'QUEUED', 'DIALING'))
       RETURNING c.id`,
      [campaignIds ?? null],
    );
    return rows.map((r) => r.id);
  }

  // ---------- caller side

  /**
   * Loads a batch of jobs' attempts and, for those whose campaign is running and tenant active and approved
   * (or that were already dialed before a crash), marks them dialing in the same statement. The tenant's
   * destination policy comes along, so the dial-time check costs no statement of its own and is never stale.
   */
  async startAttempts(attemptIds: string[]): Promise<AttemptStart[]> {
    const { rows } = await this.pool.query(
      `WITH input AS (SELECT unnest($1::text[]) AS id),
       info AS (
         SELECT a.id, a."leadId"::text AS "leadId", a."tenantId", a."campaignId", a."attemptNumber", a."dialedAt", a.outcome,
                a."providerCallId", c.status AS "campaignStatus", t.paused AS "tenantPaused", t."approvedAt" IS NOT NULL AS "tenantApproved",
                t."allowedCountries", t."allowPremiumNumbers", l.status AS "leadStatus",
                l.phone, l.variables, c."twimlUrl", c."maxAttempts", c."retryDelaySec", c."retryOutcomes"::text[] AS "retryOutcomes"
         FROM input JOIN "CallAttempt" a ON a.id = input.id
         JOIN "Lead" l ON l.id = a."leadId" JOIN "Campaign" c ON c.id = a."campaignId" JOIN "Tenant" t ON t.id = a."tenantId"
       ), go AS (
         SELECT * FROM info WHERE outcome IS NULL AND ("dialedAt" IS NOT NULL OR (NOT "tenantPaused" AND "tenantApproved" AND "campaignStatus" = 'RUNNING'))
       ), a_upd AS (
         UPDATE "CallAttempt" a SET "dialedAt" = coalesce(a."dialedAt", now()) FROM go WHERE a.id = go.id RETURNING a.id
       ), l_upd AS (
         UPDATE "Lead" l SET status = 'DIALING', "updatedAt" = now() WHERE l.id = ANY(ARRAY(SELECT "leadId"::bigint FROM go)) AND l.status = 'QUEUED' RETURNING l.id
       ), c_upd AS (
         UPDATE "Campaign" c SET "firstDialAt" = now() WHERE c.id IN (SELECT "campaignId" FROM go) AND c."firstDialAt" IS NULL RETURNING c.id
       )
       SELECT info.*, (info.id IN (SELECT id FROM go)) AS proceed FROM info`,
      [attemptIds],
    );
    return rows;
  }

  /**
   * Records finished calls: attempt outcome, lead status (retry or final), in one statement per batch. A call
   * the caller refused to place loses its dial mark, so the attempt shows it never reached the provider.
   */
  async finishAttempts(results: AttemptFinish[]): Promise<void> {
    if (results.length === 0) return;
    await this.pool.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::"CallOutcome"[], $4::timestamp[], $5::timestamp[], $6::int[], $7::text[], $8::"LeadStatus"[], $9::timestamp[], $10::text[], $11::boolean[])
           AS x(attempt_id, lead_id, outcome, answered_at, ended_at, duration, provider_call_id, lead_status, next_at, error, not_dialed)
       ), a AS (
         UPDATE "CallAttempt" a SET outcome = i.outcome, "answeredAt" = i.answered_at, "endedAt" = i.ended_at,
           "providerCallId" = coalesce(i.provider_call_id, a."providerCallId"), error = coalesce(i.error, a.error),
           "dialedAt" = CASE WHEN i.not_dialed THEN NULL ELSE a."dialedAt" END
         FROM input i WHERE a.id = i.attempt_id AND a.outcome IS NULL RETURNING a.id
       )
       UPDATE "Lead" l SET status = i.lead_status, "lastOutcome" = i.outcome, "lastDurationSec" = i.duration,
         "nextAttemptAt" = i.next_at, "updatedAt" = now()
       FROM input i WHERE l.id = ANY($2::bigint[]) AND l.id = i.lead_id AND i.attempt_id IN (SELECT id FROM a) AND l.status IN ('QUEUED', 'DIALING')`,
      [
        results.map((r) => r.attemptId),
        results.map((r) => r.leadId),
        results.map((r) => r.outcome),
        results.map((r) => r.answeredAt?.toISOString() ?? null),
        results.map((r) => r.endedAt.toISOString()),
        results.map((r) => (r.durationSec === null ? null : Math.round(r.durationSec))),
        results.map((r) => r.providerCallId ?? null),
        results.map((r) => r.leadStatus),
        results.map((r) => r.nextAttemptAt?.toISOString() ?? null),
        results.map((r) => r.error ?? null),
        results.map((r) => r.notDialed ?? false),
      ],
    );
  }

  /** Stores the provider's call id of a call whose outcome arrives later (status callback). */
  async setProviderCallId(attemptId: string, providerCallId: string) {
    await this.pool.query(`UPDATE "CallAttempt" SET "providerCallId" = $2 WHERE id = $1`, [attemptId, providerCallId]);
  }

  /**
   * An attempt that was never dialed goes away without a trace: the lead returns to pending (paused campaign or
   * tenant, lost job), or is cancelled if its campaign was cancelled meanwhile, and its attempt number is given back.
   */
  async releaseUndialed(attemptIds: string[]): Promise<number> {
    if (attemptIds.length === 0) return 0;
    const { rows } = await this.pool.query(
      `WITH del AS (
         DELETE FROM "CallAttempt" a WHERE a.id = ANY($1::text[]) AND a."dialedAt" IS NULL AND a.outcome IS NULL
         RETURNING a."leadId", a."campaignId"
       ), upd AS (
         UPDATE "Lead" l SET status = CASE WHEN c.status = 'CANCELLED' THEN 'CANCELLED'::"LeadStatus" ELSE 'PENDING'::"LeadStatus" END,
           attempts = greatest(0, l.attempts - 1), "updatedAt" = now()
         FROM del JOIN "Campaign" c ON c.id = del."campaignId"
         WHERE l.id = del."leadId" AND l.status IN ('QUEUED', 'DIALING')
         RETURNING l."campaignId", l.status
       ), bump AS (
         UPDATE "Campaign" c SET "pendingCount" = c."pendingCount" + x.n
         FROM (SELECT "campaignId", count(*)::int AS n FROM upd WHERE status = 'PENDING' GROUP BY 1) x
         WHERE c.id = x."campaignId"
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM upd`,
      [attemptIds],
    );
    return rows[0].n;
  }

  /** A dialed attempt whose call never reached the provider (retryable provider error): undo the dial mark. */
  async undoDial(attemptId: string) {
    await this.pool.query(
      `WITH a AS (UPDATE "CallAttempt" SET "dialedAt" = NULL WHERE id = $1 AND outcome IS NULL RETURNING "leadId")
       UPDATE "Lead" l SET status = 'QUEUED', "updatedAt" = now() FROM a WHERE l.id = a."leadId" AND l.status = 'DIALING'`,
      [attemptId],
    );
  }

  /** Leads in queued/dialing that have not moved for a while, with their open attempt. */
  async staleInFlight(olderThanMs: number, limit = 5000): Promise<StaleAttempt[]> {
    const { rows } = await this.pool.query(
      `SELECT a.id AS "attemptId", a."leadId"::text AS "leadId", a."tenantId", a."campaignId", a."dialedAt", a."providerCallId",
              a."attemptNumber", l.phone, c."maxAttempts", c."retryDelaySec", c."retryOutcomes"::text[] AS "retryOutcomes",
              t."dedicatedLane"
       FROM "Lead" l
       JOIN LATERAL (SELECT * FROM "CallAttempt" a WHERE a."leadId" = l.id AND a.outcome IS NULL ORDER BY a."attemptNumber" DESC LIMIT 1) a ON true
       JOIN "Campaign" c ON c.id = l."campaignId" JOIN "Tenant" t ON t.id = l."tenantId"
       WHERE l.status IN ('QUEUED', 'DIALING') AND l."updatedAt" < now() - make_interval(secs => $1::double precision / 1000)
       LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows;
  }

  /** Leads stuck in queued/dialing without any open attempt (should not happen; healed anyway). */
  async orphanedInFlight(olderThanMs: number): Promise<number> {
    const { rows } = await this.pool.query(
      `WITH upd AS (
         UPDATE "Lead" l SET status = 'PENDING', "updatedAt" = now()
         WHERE l.status IN ('QUEUED', 'DIALING') AND l."updatedAt" < now() - make_interval(secs => $1::double precision / 1000)
           AND NOT EXISTS (SELECT 1 FROM "CallAttempt" a WHERE a."leadId" = l.id AND a.outcome IS NULL)
         RETURNING l."campaignId"
       ), bump AS (
         UPDATE "Campaign" c SET "pendingCount" = c."pendingCount" + x.n
         FROM (SELECT "campaignId", count(*)::int AS n FROM upd GROUP BY 1) x WHERE c.id = x."campaignId" RETURNING 1
       )
       SELECT count(*)::int AS n FROM upd`,
      [olderThanMs],
    );
    return rows[0].n;
  }

  /** Touches in-flight leads so the reconciler leaves them alone while their job is alive. */
  async touchLeads(leadIds: string[]) {
    if (leadIds.length === 0) return;
    await this.pool.query(`UPDATE "Lead" SET "updatedAt" = now() WHERE id = ANY($1::bigint[]) AND status IN ('QUEUED', 'DIALING')`, [leadIds]);
  }
}

export interface AttemptStart {
  id: string;
  leadId: string;
  tenantId: string;
  campaignId: string;
  attemptNumber: number;
  dialedAt: Date | null;
  outcome: CallOutcome | null;
  providerCallId: string | null;
  campaignStatus: string;
  tenantPaused: boolean;
  tenantApproved: boolean;
  allowedCountries: string[];
  allowPremiumNumbers: boolean;
  leadStatus: LeadStatus;
  phone: string;
  variables: Record<string, unknown>;
  twimlUrl: string | null;
  maxAttempts: number;
  retryDelaySec: number;
  retryOutcomes: CallOutcome[];
  proceed: boolean;
}

export interface AttemptFinish {
  attemptId: string;
  tenantId: string;
  leadId: string;
  outcome: CallOutcome;
  answeredAt: Date | null;
  endedAt: Date;
  durationSec: number | null;
  providerCallId: string | null;
  leadStatus: LeadStatus;
  nextAttemptAt: Date | null;
  /** Why the call failed, in words (kept on the attempt for the tenant to see). */
  error?: string | null;
  /** The caller refused to place the call: the provider never saw it. */
  notDialed?: boolean;
}

export interface StaleAttempt {
  attemptId: string;
  leadId: string;
  tenantId: string;
  campaignId: string;
  dialedAt: Date | null;
  providerCallId: string | null;
  attemptNumber: number;
  phone: string;
  maxAttempts: number;
  retryDelaySec: number;
  retryOutcomes: CallOutcome[];
  dedicatedLane: boolean;
}

/** The retry context of one attempt (for outcomes that arrive by provider callback). */
export async function attemptContext(pool: Pool, attemptId: string) {
  const { rows } = await pool.query(
    `SELECT a.id AS "attemptId", a."leadId"::text AS "leadId", a."attemptNumber", a.outcome, a."tenantId", l.name, l.variables,
            c."maxAttempts", c."retryDelaySec", c."retryOutcomes"::text[] AS "retryOutcomes"
     FROM "CallAttempt" a JOIN "Lead" l ON l.id = a."leadId" JOIN "Campaign" c ON c.id = a."campaignId" WHERE a.id = $1`,
    [attemptId],
  );
  return (rows[0] ?? null) as
    | (import("./outcomes").AttemptContext & { outcome: CallOutcome | null; tenantId: string; name: string | null; variables: Record<string, unknown> })
    | null;
}
