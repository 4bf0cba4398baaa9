// Every Postgres statement of the dispatch engine, set-based: one statement per tick step or per batch of
// jobs, never one per lead. Postgres is the source of truth; Redis only carries pointers (attempt ids).
import type { CallOutcome, LeadStatus } from "@prisma/client";
import type { Pool, PoolClient } from "pg";
import { beginStatement, withTransaction } from "../pg";
import { callBaseSql, campaignDataSql, isoSql, leadSuppressedRowsSql, outboxInsertSql } from "../webhooks/outbox";
import type { ScheduleColumns } from "./windows";

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

/** One window key of a campaign (see CampaignWindowKey): leads sharing it share a calling window. */
export interface CampaignKey {
  campaignId: string;
  key: string;
  country: string;
  zones: string[];
}

/**
 * A claim request: up to n pending leads of the campaign whose window key is one of `keys` (the open ones; the
 * scheduler's WindowBook decides). Without `keys`, every key of the campaign: no calling window applies.
 */
export interface ClaimRequest {
  campaignId: string;
  n: number;
  keys?: string[];
}

export interface Claimed {
  attemptId: string;
  leadId: string;
  tenantId: string;
  campaignId: string;
}

/** The leader's lease a claim is made under (see leader.ts): claims under a superseded epoch claim nothing. */
export interface LeaseFence {
  name: string;
  holder: string;
  epoch: number;
}

/** The claim statement proper (run by `claim` after the fence and the tenant locks); exported for the benchmark's EXPLAIN. */
export const CLAIM_SQL = `
  WITH req AS (
    SELECT r.campaign_id, r.n, r.ord, c."tenantId" AS tenant_id, t."maxConcurrent" AS cap
    FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS r(campaign_id, n, ord)
    JOIN "Campaign" c ON c.id = r.campaign_id AND c.status = 'RUNNING'
    -- Held tenants are left out by the allocation already; this also covers a pause or an unapproved
    -- tenant between the scheduler's read and its claim.
    JOIN "Tenant" t ON t.id = c."tenantId" AND NOT t.paused AND t."approvedAt" IS NOT NULL
  ), flying AS (
    SELECT l."tenantId" AS tenant_id, count(*)::int AS n FROM "Lead" l
    WHERE l.status IN ('QUEUED', 'DIALING') AND l."tenantId" IN (SELECT tenant_id FROM req WHERE cap IS NOT NULL)
    GROUP BY 1
  ), capped AS (
    -- A capped tenant's room is shared by its campaigns in request order.
    SELECT req.campaign_id,
      CASE WHEN req.cap IS NULL THEN req.n
           ELSE greatest(0, least(req.n, req.cap - coalesce(f.n, 0) - (sum(req.n) OVER (PARTITION BY req.tenant_id ORDER BY req.ord) - req.n)))
      END AS n
    FROM req LEFT JOIN flying f ON f.tenant_id = req.tenant_id
  ), open_keys AS (
    SELECT k.campaign_id, array_agg(k.key) AS keys FROM unnest($3::text[], $4::text[]) AS k(campaign_id, key) GROUP BY 1
  ), picked AS (
    SELECT l.id FROM capped JOIN open_keys ok ON ok.campaign_id = capped.campaign_id CROSS JOIN LATERAL (
      -- Lead_claim_idx (pending leads only, by campaign, window key, id) delivers this order for any set of open
      -- keys, so a lead outside its calling window is never read, let alone locked, and cannot hold up the leads
      -- inside theirs. The key is "= ANY" of a runtime array, never an equality the planner could drop from the
      -- sort key: Lead_pkey cannot serve "windowKey, id", so the planner cannot walk it from the first lead and
      -- filter (it did, reading ~270,000 rows per campaign at 600,000 leads, bench scenario 6).
      SELECT id FROM "Lead" WHERE "campaignId" = capped.campaign_id AND status = 'PENDING' AND "windowKey" = ANY(ok.keys)
      ORDER BY "windowKey", id LIMIT capped.n FOR UPDATE SKIP LOCKED
    ) l
    WHERE capped.n > 0
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
  SELECT id AS "attemptId", "leadId"::text AS "leadId", "tenantId", "campaignId" FROM att ORDER BY "leadId"`;

/**
 * The lead of attempt `a`, looked up by primary key per attempt: LIMIT 1 keeps the subquery from being flattened
 * into a join the planner could run as a merge join in lead-id order, reading Lead_pkey from the first lead up to
 * the batch's last. That plan is cheap by statistics taken while the attempt table was young (its leadId histogram
 * ends at the leads dialed then) and a walk over every lead dialed since in fact. Bench scenario 5 caught it: 289
 * buffers per dial for loadAttempts against 18 with fresh statistics, and a caller slowing down as the campaign went on.
 */
const LEAD_OF_ATTEMPT = `LATERAL (SELECT * FROM "Lead" WHERE id = a."leadId" LIMIT 1) l`;

/**
 * A status test that no index can serve, for statements that find their Lead rows by key (primary key, or
 * tenant and number) and only filter them by status. Lead's status statistics go stale whenever a campaign moves
 * many leads at once (a big claim, a campaign's calls ending): a status that held a handful of rows when they were
 * taken may hold thousands now, and a planner that believes the handful reads every one of them through the status
 * index for each row looked up. Bench scenario 5 caught finishAttempts doing that: 220 buffers per dial against 71.
 * A boolean test (IS TRUE) is never an index condition; it keeps its meaning (NULL is false) in a WHERE clause.
 */
const BY_KEY_ONLY = (test: string) => `(${test}) IS TRUE`;

/** The lead's number is on its tenant's or the platform's do-not-call list (SuppressedNumber_phone_idx). */
const SUPPRESSED_SQL = (lead: string) =>
  `EXISTS (SELECT 1 FROM "SuppressedNumber" s WHERE s.phone = ${lead}.phone AND (s."tenantId" = ${lead}."tenantId" OR s."tenantId" IS NULL))`;

/** Deletes the attempts (id = `match`) that never reached the provider, returning their leads and campaigns. */
const DELETE_UNDIALED = (match: string) =>
  `DELETE FROM "CallAttempt" a WHERE a.id = ${match} AND a."requestedAt" IS NULL AND a."dialedAt" IS NULL AND a.outcome IS NULL RETURNING a."leadId", a."campaignId"`;

/** Another lead of the same tenant with the same number is being dialed (another campaign's call). */
const BUSY_SQL = (lead: string) =>
  `EXISTS (SELECT 1 FROM "Lead" o WHERE o."tenantId" = ${lead}."tenantId" AND o.phone = ${lead}.phone AND o.id <> ${lead}.id AND ${BY_KEY_ONLY(`o.status = 'DIALING'`)})`;

/**
 * A frequency cap of `cap` calls per `period` to the number of lead "l" across tenant "a"'s campaigns: null when
 * there is room (or no cap), else when the oldest of the newest `cap` calls ages out. Evaluated only for capped
 * tenants (CASE), through Lead(tenantId, phone) and CallAttempt(leadId, requestedAt).
 */
function capHoldSql(period: string, cap: string) {
  return `CASE WHEN ${cap} IS NOT NULL THEN (
    SELECT CASE WHEN count(*) >= ${cap} THEN min(x."requestedAt") + interval '${period}' END FROM (
      SELECT a2."requestedAt" FROM "Lead" o JOIN "CallAttempt" a2 ON a2."leadId" = o.id
      WHERE o."tenantId" = a."tenantId" AND o.phone = l.phone AND a2."requestedAt" > now() - interval '${period}'
      ORDER BY a2."requestedAt" DESC LIMIT ${cap}) x) END`;
}

/**
 * The engine's transactions send their statements back to back, so one that sits idle is a process frozen
 * mid-transaction (SIGSTOP, a stalled VM, a long GC pause). Its locks must not outlive its lease: a leader frozen
 * inside a claim holds the lease row share-locked, and the standby's takeover waits for that lock. Postgres ends
 * such a session after this long (not the pools' 1 min), so the takeover waits at most about this, and the frozen
 * process's next statement fails and rolls back instead of committing late.
 */
export const ENGINE_IDLE_IN_TRANSACTION_MS = 5_000;

const ENGINE_TRANSACTION = { idleInTransactionMs: ENGINE_IDLE_IN_TRANSACTION_MS };

/** The BEGIN of an engine transaction on a client of one's own (tests freeze one mid-claim with it). */
export async function beginEngineTransaction(client: PoolClient) {
  await client.query(beginStatement(ENGINE_TRANSACTION));
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

  /** The window keys of these campaigns' leads. */
  async windowKeys(campaignIds: string[]): Promise<CampaignKey[]> {
    if (campaignIds.length === 0) return [];
    const { rows } = await this.pool.query(
      `SELECT "campaignId", key, country, zones FROM "CampaignWindowKey" WHERE "campaignId" = ANY($1::text[])`,
      [campaignIds],
    );
    return rows;
  }

  /** Each campaign's calling schedule and window keys (lib/dispatch/windows.ts evaluates them). */
  async windowSettings(campaignIds: string[]) {
    const { rows } = await this.pool.query<{ id: string; timezone: string; scheduleDays: number[]; scheduleStart: string | null; scheduleEnd: string | null; startAt: Date | null; endAt: Date | null; keys: string[] }>(
      `SELECT c.id, c.timezone, c."scheduleDays", c."scheduleStart", c."scheduleEnd", c."startAt", c."endAt", coalesce(k.keys, '{}') AS keys
       FROM "Campaign" c
       LEFT JOIN (SELECT "campaignId", array_agg(key) AS keys FROM "CampaignWindowKey" WHERE "campaignId" = ANY($1::text[]) GROUP BY 1) k ON k."campaignId" = c.id
       WHERE c.id = ANY($1::text[])`,
      [campaignIds],
    );
    return rows;
  }

  /** Campaigns whose scheduled end has passed are paused (an automatic stop the tenant can extend and resume). */
  async endedBySchedule(now: Date): Promise<{ id: string; tenantId: string }[]> {
    const { rows } = await this.pool.query(`SELECT id, "tenantId" FROM "Campaign" WHERE status = 'RUNNING' AND "endAt" <= $1`, [now]);
    return rows;
  }

  /** Retries whose time has come become dispatchable again. */
  async releaseDueRetries(limit = 10_000): Promise<number> {
    const { rows } = await this.pool.query(
      `WITH due AS (
         UPDATE "Lead" SET status = 'PENDING', "holdReason" = NULL, "updatedAt" = now()
         WHERE id IN (
           -- Only running campaigns: a paused one's retries wait for the resume, a cancelled one's never come.
           SELECT l.id FROM "Lead" l JOIN "Campaign" c ON c.id = l."campaignId" AND c.status = 'RUNNING'
           WHERE l.status = 'SCHEDULED' AND l."nextAttemptAt" <= now() LIMIT $1 FOR UPDATE OF l SKIP LOCKED)
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
   *
   * Two guarantees hold here, whatever the caller computed: with a `fence`, nothing is claimed unless that lease
   * epoch is still current (the lease row is share-locked for the transaction, so a new leader's takeover waits
   * for this claim or this claim sees the takeover); and a tenant's in-flight calls (queued + dialing) never
   * exceed its maxConcurrent, counted under a lock on the tenant row, so no interleaving of schedulers, lanes or
   * retries can overshoot.
   */
  async claim(requests: ClaimRequest[], fence?: LeaseFence): Promise<Claimed[]> {
    if (requests.length === 0) return [];
    // Before taking a connection: a claim holding one while it waits for another could exhaust the pool.
    const pairs = await this.claimKeys(requests);
    return withTransaction(this.pool, async (client) => {
      if (fence) {
        const { rowCount } = await client.query(`SELECT 1 FROM "SchedulerLease" WHERE name = $1 AND holder = $2 AND epoch = $3 FOR SHARE`, [fence.name, fence.holder, fence.epoch]);
        if (rowCount === 0) return [];
      }
      // The campaigns first: a pause or cancel committing meanwhile waits for this claim (and then withdraws
      // what it queued) or is seen by it. Sorted, so claims that lock several rows cannot deadlock.
      await client.query(`SELECT id FROM "Campaign" WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`, [requests.map((r) => r.campaignId)]);
      await client.query(
        `SELECT t.id FROM "Tenant" t WHERE t."maxConcurrent" IS NOT NULL
           AND t.id IN (SELECT "tenantId" FROM "Campaign" WHERE id = ANY($1::text[]))
         ORDER BY t.id FOR NO KEY UPDATE`,
        [requests.map((r) => r.campaignId)],
      );
      // A new statement after the locks: its snapshot includes every claim committed before them.
      const { rows } = await client.query(CLAIM_SQL, [requests.map((r) => r.campaignId), requests.map((r) => r.n), pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
      return rows as Claimed[];
    }, ENGINE_TRANSACTION);
  }

  private async claimKeys(requests: ClaimRequest[]): Promise<(readonly [string, string])[]> {
    const unkeyed = requests.filter((r) => !r.keys).map((r) => r.campaignId);
    const all = groupKeys(await this.windowKeys(unkeyed));
    return requests.flatMap((r) => (r.keys ?? ["", ...(all.get(r.campaignId) ?? [])]).map((key) => [r.campaignId, key] as const));
  }

  /** The platform's calling hours per country (lib/rules parses them). */
  async callingRules(): Promise<{ country: string; intervals: unknown }[]> {
    const { rows } = await this.pool.query(`SELECT country, intervals FROM "CallingRule"`);
    return rows;
  }

  /**
   * Corrects the pending counters of these campaigns. The campaign rows are locked first and counted in the next
   * statement: every path that moves leads to or from PENDING updates the counter in the same statement, so the
   * count then sees all of them and none can be lost or counted twice.
   */
  async recountPending(campaignIds: string[]) {
    if (campaignIds.length === 0) return;
    await withTransaction(this.pool, async (client) => {
      await client.query(`SELECT id FROM "Campaign" WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`, [campaignIds]);
      await client.query(
        `UPDATE "Campaign" c SET "pendingCount" = (SELECT count(*) FROM "Lead" l WHERE l."campaignId" = c.id AND l.status = 'PENDING')::int
         WHERE c.id = ANY($1::text[])`,
        [campaignIds],
      );
    }, ENGINE_TRANSACTION);
  }

  /** Running campaigns whose counter says nothing is pending while pending leads exist get recounted, not stranded. */
  async healStuckCounters(): Promise<string[]> {
    const { rows } = await this.pool.query(
      `SELECT c.id FROM "Campaign" c WHERE c.status = 'RUNNING' AND c."pendingCount" = 0
         AND EXISTS (SELECT 1 FROM "Lead" l WHERE l."campaignId" = c.id AND l.status = 'PENDING')`,
    );
    const ids = rows.map((r) => r.id as string);
    await this.recountPending(ids);
    return ids;
  }

  /** Running campaigns where no lead can be dialed any more become completed. */
  async completeFinished(campaignIds?: string[]): Promise<string[]> {
    const { rows } = await this.pool.query(
      `WITH done AS (
         UPDATE "Campaign" c SET status = 'COMPLETED', "completedAt" = now()
         WHERE c.status = 'RUNNING' AND c."pendingCount" = 0 AND ($1::text[] IS NULL OR c.id = ANY($1::text[]))
           AND NOT EXISTS (SELECT 1 FROM "Lead" l WHERE l."campaignId" = c.id AND l.status IN ('PENDING', 'SCHEDULED', 'QUEUED', 'DIALING'))
         RETURNING c.*
       ), ev AS (
         ${outboxInsertSql(`SELECT c."tenantId" AS tenant_id, 'campaign.completed'::text AS type, c.id AS campaign_id, NULL::bigint AS lead_id, ${campaignDataSql("c")} AS data, 0 AS ord FROM done c`)}
       )
       SELECT id FROM done`,
      [campaignIds ?? null],
    );
    return rows.map((r) => r.id);
  }

  // ---------- caller side

  /**
   * Loads a batch of jobs' attempts with everything the caller needs to decide: whether the campaign runs and the
   * tenant is active and approved, whether the attempt was already requested (a redelivered job), the lead's
   * number and the tenant's destination policy. Read-only: the dial itself is claimed by `claimDials`.
   */
  async loadAttempts(attemptIds: string[]): Promise<AttemptStart[]> {
    const { rows } = await this.pool.query(
      `SELECT a.id, a."leadId"::text AS "leadId", a."tenantId", a."campaignId", a."attemptNumber", a."dialedAt", a."requestedAt", a."inDoubtSince", a.outcome,
              a."providerCallId", c.status AS "campaignStatus", t.paused AS "tenantPaused", t."approvedAt" IS NOT NULL AS "tenantApproved",
              t."allowedCountries", t."allowPremiumNumbers", l.status AS "leadStatus",
              l.phone, l.variables, c."twimlUrl", c."maxAttempts", c."retryDelaySec", c."retryOutcomes"::text[] AS "retryOutcomes",
              (c.status = 'RUNNING' AND NOT t.paused AND t."approvedAt" IS NOT NULL) AS runnable,
              l."windowKey", c.timezone, c."scheduleDays", c."scheduleStart", c."scheduleEnd", c."startAt", c."endAt",
              ${SUPPRESSED_SQL("l")} AS suppressed, ${BUSY_SQL("l")} AS "numberBusy",
              ${capHoldSql("24 hours", `t."callsPer24h"`)} AS "hold24h", ${capHoldSql("30 days", `t."callsPer30d"`)} AS "hold30d"
       FROM "CallAttempt" a
       JOIN ${LEAD_OF_ATTEMPT} ON true JOIN "Campaign" c ON c.id = a."campaignId" JOIN "Tenant" t ON t.id = a."tenantId"
       WHERE a.id = ANY($1::text[])`,
      [attemptIds],
    );
    return rows;
  }

  /**
   * The dial claim, in Postgres: stamps requestedAt (once) on attempts whose campaign still runs and whose tenant
   * is still active, and marks their leads dialing, in one statement. Only the ids returned may be sent to the
   * provider; an attempt claimed once is never claimed again, whatever happens to Redis or to the job.
   */
  async claimDials(attemptIds: string[]): Promise<Set<string>> {
    return withTransaction(this.pool, async (client) => {
      // One dial at a time per number and tenant (two campaigns of a tenant never ring one number at once): the
      // numbers' advisory locks, in a sorted order, before the statement whose snapshot checks for a live call and
      // counts the number's calls against the frequency caps (loadAttempts checked them too, but a call of another
      // campaign may have been requested since; the caller then gives the attempt back and the next load holds it).
      await client.query(
        `SELECT pg_advisory_xact_lock(k) FROM (
           SELECT DISTINCT hashtextextended(l."tenantId" || ':' || l.phone, 0) AS k
           FROM "CallAttempt" a JOIN ${LEAD_OF_ATTEMPT} ON true WHERE a.id = ANY($1::text[]) ORDER BY 1) x`,
        [attemptIds],
      );
      const { rows } = await client.query(
        `WITH pick AS (
           SELECT DISTINCT ON (l."tenantId", l.phone) a.id, l.phone
           FROM "CallAttempt" a
           JOIN "Campaign" c ON c.id = a."campaignId" AND c.status = 'RUNNING'
           JOIN "Tenant" t ON t.id = a."tenantId" AND NOT t.paused AND t."approvedAt" IS NOT NULL
           JOIN ${LEAD_OF_ATTEMPT} ON l.status = 'QUEUED'
           WHERE a.id = ANY($1::text[]) AND a."requestedAt" IS NULL AND a.outcome IS NULL
             AND NOT ${SUPPRESSED_SQL("l")} AND NOT ${BUSY_SQL("l")}
             AND ${capHoldSql("24 hours", `t."callsPer24h"`)} IS NULL AND ${capHoldSql("30 days", `t."callsPer30d"`)} IS NULL
           ORDER BY l."tenantId", l.phone, a.id
         ), go AS (
           UPDATE "CallAttempt" a SET "requestedAt" = now(), "dialedAt" = now()
           FROM pick WHERE a.id = pick.id AND a."requestedAt" IS NULL AND a.outcome IS NULL
           RETURNING a.id, a."leadId", a."campaignId", a."tenantId", a."attemptNumber", a."dialedAt", pick.phone
         ), l_upd AS (
           UPDATE "Lead" l SET status = 'DIALING', "updatedAt" = now() FROM go WHERE l.id = go."leadId" AND l.id = ANY(ARRAY(SELECT "leadId" FROM go)) RETURNING l.id
         ), c_upd AS (
           UPDATE "Campaign" c SET "firstDialAt" = now() WHERE c.id IN (SELECT "campaignId" FROM go) AND c."firstDialAt" IS NULL RETURNING c.id
         ), ev AS (
           ${outboxInsertSql(`SELECT go."tenantId" AS tenant_id, 'call.started'::text AS type, go."campaignId" AS campaign_id, go."leadId" AS lead_id,
             ${callBaseSql("go", "go.phone")} || jsonb_build_object('dialedAt', ${isoSql(`go."dialedAt"`)}) AS data, go."leadId" AS ord FROM go`)}
         )
         SELECT id FROM go`,
        [attemptIds],
      );
      return new Set(rows.map((r) => r.id as string));
    }, ENGINE_TRANSACTION);
  }

  /** The provider took the call (its outcome comes later): keep its id, and the lead counts as live. */
  async recordPlaced(attemptId: string, providerCallId: string) {
    await this.pool.query(
      `WITH a AS (
         UPDATE "CallAttempt" SET "providerCallId" = $2, "inDoubtSince" = NULL WHERE id = $1 AND outcome IS NULL RETURNING "leadId"
       )
       UPDATE "Lead" l SET "updatedAt" = now() FROM a WHERE l.id = a."leadId" AND l.status = 'DIALING'`,
      [attemptId, providerCallId],
    );
  }

  /**
   * A provider's status report on a live call (ringing, answered, …): proves the call exists (no longer in doubt),
   * keeps the newest status by sequence number, and refreshes the lead so the reconciler leaves it alone.
   */
  async recordProgress(p: { attemptId: string; providerCallId: string | null; providerStatus: string; sequence: number | null; answeredAt: Date | null }) {
    await this.pool.query(
      `WITH a AS (
         UPDATE "CallAttempt" a SET "providerCallId" = coalesce(a."providerCallId", $2), "inDoubtSince" = NULL,
           "providerStatus" = CASE WHEN $4::int IS NULL OR a."providerSeq" IS NULL OR $4::int > a."providerSeq" THEN $3 ELSE a."providerStatus" END,
           "providerSeq" = CASE WHEN $4::int IS NULL THEN a."providerSeq" ELSE greatest(a."providerSeq", $4::int) END,
           "answeredAt" = coalesce(a."answeredAt", $5::timestamp)
         FROM "CallAttempt" old
         WHERE a.id = $1 AND old.id = a.id
         RETURNING a.*, (old."answeredAt" IS NULL AND a."answeredAt" IS NOT NULL AND a.outcome IS NULL) AS newly_answered
       ), l_upd AS (
         UPDATE "Lead" l SET "updatedAt" = now() FROM a WHERE l.id = a."leadId" AND l.status IN ('QUEUED', 'DIALING')
       )
       ${outboxInsertSql(`SELECT a."tenantId" AS tenant_id, 'call.answered'::text AS type, a."campaignId" AS campaign_id, a."leadId" AS lead_id,
         ${callBaseSql("a", "l.phone")} || jsonb_build_object('answeredAt', ${isoSql(`a."answeredAt"`)}) AS data, 0 AS ord
         FROM a JOIN "Lead" l ON l.id = a."leadId" WHERE a.newly_answered`)}`,
      [p.attemptId, p.providerCallId, p.providerStatus, p.sequence, p.answeredAt?.toISOString() ?? null],
    );
  }

  /**
   * The dial request's fate is unknown (timeout, reset, 5xx, a crash before the answer was recorded): the attempt
   * stays requested and its lead dialing (a live call counts against the cap) until the provider says what happened.
   */
  async markInDoubt(attemptId: string, reason: string) {
    await this.pool.query(
      `WITH a AS (
         UPDATE "CallAttempt" SET "inDoubtSince" = coalesce("inDoubtSince", now()), error = $2
         WHERE id = $1 AND outcome IS NULL AND "requestedAt" IS NOT NULL RETURNING "leadId"
       )
       UPDATE "Lead" l SET "updatedAt" = now() FROM a WHERE l.id = a."leadId"`,
      [attemptId, reason],
    );
  }

  /**
   * The provider positively answered that it placed no call for this attempt (it refused the request, or a lookup
   * found none): the claim is taken back so the same attempt can be dialed later. Never for a call in doubt.
   */
  async unclaimDial(attemptId: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      `WITH a AS (
         UPDATE "CallAttempt" SET "requestedAt" = NULL, "dialedAt" = NULL, "inDoubtSince" = NULL
         WHERE id = $1 AND outcome IS NULL AND "providerCallId" IS NULL RETURNING "leadId"
       ), l AS (
         UPDATE "Lead" l SET status = 'QUEUED', "updatedAt" = now() FROM a WHERE l.id = a."leadId" AND l.status = 'DIALING'
       )
       SELECT count(*)::int AS n FROM a`,
      [attemptId],
    );
    return rows[0].n > 0;
  }

  /**
   * Records finished calls: attempt outcome, lead status (retry or final), in one statement per batch. A call
   * the caller refused to place loses its dial mark, so the attempt shows it never reached the provider. A
   * retry of a cancelled campaign's lead is not scheduled: the lead ends cancelled. With `replaceAssumed`, an
   * outcome fairdial only assumed (in doubt too long) is replaced by the provider's real one.
   */
  async finishAttempts(results: AttemptFinish[]): Promise<void> {
    if (results.length === 0) return;
    await this.pool.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::"CallOutcome"[], $4::timestamp[], $5::timestamp[], $6::int[], $7::text[], $8::"LeadStatus"[], $9::timestamp[], $10::text[], $11::boolean[], $12::boolean[], $13::boolean[])
           AS x(attempt_id, lead_id, outcome, answered_at, ended_at, duration, provider_call_id, lead_status, next_at, error, not_dialed, assumed, replace_assumed)
       ), a AS (
         UPDATE "CallAttempt" a SET outcome = i.outcome, "answeredAt" = i.answered_at, "endedAt" = i.ended_at,
           "providerCallId" = coalesce(i.provider_call_id, a."providerCallId"), error = coalesce(i.error, a.error),
           "dialedAt" = CASE WHEN i.not_dialed THEN NULL ELSE a."dialedAt" END,
           "requestedAt" = CASE WHEN i.not_dialed THEN NULL ELSE a."requestedAt" END,
           "outcomeAssumed" = i.assumed
         FROM input i, "CallAttempt" old WHERE a.id = i.attempt_id AND old.id = a.id AND (a.outcome IS NULL OR (i.replace_assumed AND a."outcomeAssumed"))
         RETURNING a.*, (a."attemptNumber" = (SELECT max(b."attemptNumber") FROM "CallAttempt" b WHERE b."leadId" = a."leadId")) AS latest,
           (old."answeredAt" IS NULL AND a."answeredAt" IS NOT NULL) AS newly_answered
       ), upd AS (
       UPDATE "Lead" l SET
         status = CASE WHEN i.lead_status IN ('SCHEDULED', 'PENDING') AND c.status = 'CANCELLED' THEN 'CANCELLED'::"LeadStatus" ELSE i.lead_status END,
         "nextAttemptAt" = CASE WHEN c.status = 'CANCELLED' THEN NULL ELSE i.next_at END,
         "lastOutcome" = i.outcome, "lastDurationSec" = i.duration, "updatedAt" = now()
       FROM input i, a, "Campaign" c
       WHERE l.id = ANY($2::bigint[]) AND l.id = i.lead_id AND a.id = i.attempt_id AND c.id = l."campaignId"
         AND ${BY_KEY_ONLY(`l.status IN ('QUEUED', 'DIALING') OR (i.replace_assumed AND a.latest AND l.status = 'FAILED')`)}
       RETURNING l.id, l.status, l."nextAttemptAt"
       )
       ${outboxInsertSql(`SELECT a."tenantId" AS tenant_id, k.type, a."campaignId" AS campaign_id, a."leadId" AS lead_id,
         ${callBaseSql("a", "l.phone")} || CASE WHEN k.step = 0 THEN jsonb_build_object('answeredAt', ${isoSql(`a."answeredAt"`)})
           ELSE jsonb_build_object('outcome', a.outcome, 'dialedAt', ${isoSql(`a."dialedAt"`)}, 'answeredAt', ${isoSql(`a."answeredAt"`)},
             'endedAt', ${isoSql(`a."endedAt"`)}, 'durationSec', i.duration, 'providerCallId', a."providerCallId", 'error', a.error,
             'leadStatus', coalesce(upd.status, l.status), 'willRetry', coalesce(upd.status IN ('SCHEDULED', 'PENDING'), false),
             'nextAttemptAt', ${isoSql(`upd."nextAttemptAt"`)}) END AS data,
         a."leadId" * 2 + k.step AS ord
         FROM a JOIN input i ON i.attempt_id = a.id JOIN "Lead" l ON l.id = a."leadId" AND l.id = ANY($2::bigint[]) LEFT JOIN upd ON upd.id = a."leadId"
         CROSS JOIN LATERAL (VALUES ('call.answered'::text, 0),
           (CASE WHEN a.outcome IN ('FAILED', 'PROVIDER_ERROR') THEN 'call.failed' ELSE 'call.completed' END, 1)) k(type, step)
         WHERE k.step = 1 OR a.newly_answered`)}`,
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
        results.map((r) => r.assumed ?? false),
        results.map((r) => r.replaceAssumed ?? false),
      ],
    );
  }

  /**
   * An attempt that was never dialed goes away without a trace: the lead returns to pending (paused campaign or
   * tenant, lost job), or is cancelled if its campaign was cancelled meanwhile, and its attempt number is given back.
   */
  async releaseUndialed(attemptIds: string[]): Promise<number> {
    if (attemptIds.length === 0) return 0;
    const { rows } = await this.pool.query(
      `WITH del AS (${DELETE_UNDIALED("ANY($1::text[])")}), upd AS (
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

  /**
   * Attempts that were never dialed whose number is on a do-not-call list (added after the claim): the attempt goes
   * away as in releaseUndialed, and the lead ends SUPPRESSED instead of waiting again.
   */
  async suppressUndialed(attemptIds: string[]): Promise<number> {
    if (attemptIds.length === 0) return 0;
    const { rows } = await this.pool.query(
      `WITH del AS (${DELETE_UNDIALED("ANY($1::text[])")}), upd AS (
         UPDATE "Lead" l SET status = 'SUPPRESSED', attempts = greatest(0, l.attempts - 1), "nextAttemptAt" = NULL, "updatedAt" = now(),
           "suppressedReason" = 'added to a do-not-call list before the call'
         FROM del WHERE l.id = del."leadId" AND l.status IN ('QUEUED', 'DIALING')
         RETURNING l.*
       ), bump AS (
         UPDATE "Campaign" c SET "suppressedCount" = c."suppressedCount" + x.n
         FROM (SELECT "campaignId", count(*)::int AS n FROM upd GROUP BY 1) x WHERE c.id = x."campaignId"
         RETURNING 1
       ), ev AS (${outboxInsertSql(leadSuppressedRowsSql("upd l"))})
       SELECT count(*)::int AS n FROM upd`,
      [attemptIds],
    );
    return rows[0].n;
  }

  /**
   * An attempt that must not be dialed yet although its lead is due (a frequency cap, another call to the same
   * number in progress): the attempt goes away with its number given back, and the lead waits as a scheduled
   * lead until `until`, with the reason shown to the tenant. Not pending meanwhile, so the claim never re-reads it.
   */
  async holdUndialed(attemptId: string, until: Date, reason: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      `WITH del AS (${DELETE_UNDIALED("$1")})
       UPDATE "Lead" l SET status = 'SCHEDULED', attempts = greatest(0, l.attempts - 1), "nextAttemptAt" = $2, "holdReason" = $3, "updatedAt" = now()
       FROM del WHERE l.id = del."leadId" AND l.status IN ('QUEUED', 'DIALING')
       RETURNING l.id`,
      [attemptId, until, reason],
    );
    return rows.length > 0;
  }

  /** Leads in queued/dialing that have not moved for a while, with their open attempt. */
  async staleInFlight(olderThanMs: number, limit = 5000): Promise<StaleAttempt[]> {
    const { rows } = await this.pool.query(
      `SELECT a.id AS "attemptId", a."leadId"::text AS "leadId", a."tenantId", a."campaignId", a."dialedAt", a."requestedAt", a."inDoubtSince", a."providerCallId",
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

export interface AttemptStart extends ScheduleColumns {
  id: string;
  leadId: string;
  tenantId: string;
  campaignId: string;
  attemptNumber: number;
  dialedAt: Date | null;
  requestedAt: Date | null;
  inDoubtSince: Date | null;
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
  /** The campaign runs and the tenant is active and approved. */
  runnable: boolean;
  /** The lead's calling window (lib/rules); with the campaign's schedule, checked again right before the dial. */
  windowKey: string;
  /** The number is on the tenant's or the platform's do-not-call list. */
  suppressed: boolean;
  /** Another campaign of the tenant is calling this number right now. */
  numberBusy: boolean;
  /** The tenant's frequency caps are reached for this number until then (null = room). */
  hold24h: Date | null;
  hold30d: Date | null;
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
  /** fairdial assumed this outcome (the provider never reported one); a later callback may replace it. */
  assumed?: boolean;
  /** Replace an assumed outcome with this one (the provider's real answer, arriving late). */
  replaceAssumed?: boolean;
}

export interface StaleAttempt {
  attemptId: string;
  leadId: string;
  tenantId: string;
  campaignId: string;
  dialedAt: Date | null;
  requestedAt: Date | null;
  inDoubtSince: Date | null;
  providerCallId: string | null;
  attemptNumber: number;
  phone: string;
  maxAttempts: number;
  retryDelaySec: number;
  retryOutcomes: CallOutcome[];
  dedicatedLane: boolean;
}

function groupKeys(rows: CampaignKey[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const row of rows) out.set(row.campaignId, [...(out.get(row.campaignId) ?? []), row.key]);
  return out;
}

/** The retry context of one attempt (for outcomes that arrive by provider callback). */
export async function attemptContext(pool: Pool, attemptId: string) {
  const { rows } = await pool.query(
    `SELECT a.id AS "attemptId", a."leadId"::text AS "leadId", a."attemptNumber", a.outcome, a."outcomeAssumed", a."providerCallId", a."providerSeq",
            a."requestedAt", a."tenantId", l.name, l.variables, l.status AS "leadStatus",
            c."maxAttempts", c."retryDelaySec", c."retryOutcomes"::text[] AS "retryOutcomes"
     FROM "CallAttempt" a JOIN "Lead" l ON l.id = a."leadId" JOIN "Campaign" c ON c.id = a."campaignId" WHERE a.id = $1`,
    [attemptId],
  );
  return (rows[0] ?? null) as
    | (import("./outcomes").AttemptContext & {
        outcome: CallOutcome | null;
        outcomeAssumed: boolean;
        providerCallId: string | null;
        providerSeq: number | null;
        requestedAt: Date | null;
        tenantId: string;
        leadStatus: LeadStatus;
        name: string | null;
        variables: Record<string, unknown>;
      })
    | null;
}
