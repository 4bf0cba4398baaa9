// Pausing or cancelling a campaign, or moving a tenant to or from a dedicated lane, takes back the calls
// still waiting in a queue: their attempts go away (never requested, so the provider never saw them), their
// leads return to pending (or are cancelled with their campaign) and their jobs leave the queue in bulk, so
// stale jobs neither hold the queue nor count as in flight. A call a caller already claimed is left alone.
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Pool } from "pg";
import { env } from "../env";
import { log } from "../log";
import { pgPool } from "../pg";
import { CALLS_QUEUE, laneQueue } from "../queue/names";
import { producerRedis } from "../redis";

export type WithdrawScope = { campaignId: string } | { tenantId: string };

export interface WithdrawResult {
  /** The released attempts (= their job ids). */
  attemptIds: string[];
  /** Leads made pending again (the rest were cancelled with their campaign). */
  pending: number;
  dedicatedLane: boolean;
}

const REMOVE_CHUNK = 500;
/** A pause must answer even when Redis hangs; the callers drop stale jobs anyway. */
const REMOVE_DEADLINE_MS = 5000;

export interface WithdrawOptions {
  /** The engine's queue prefix (default QUEUE_PREFIX). */
  prefix?: string;
  pool?: Pool;
  /** Opens the Redis connection for the removal, closed afterwards (default: a fail-fast producer connection). */
  connect?: () => Redis;
}

export async function withdrawQueued(scope: WithdrawScope, options: WithdrawOptions = {}): Promise<WithdrawResult> {
  const released = await releaseQueued(options.pool ?? pgPool(), scope);
  if (released.attemptIds.length === 0) return released;
  const tenantId = "tenantId" in scope ? scope.tenantId : null;
  // A lane toggle's jobs sit in the queue of the setting before the toggle, which may have flipped more than
  // once meanwhile: look in both. A campaign's jobs sit in its tenant's current queue.
  const queues = tenantId ? [CALLS_QUEUE, laneQueue(tenantId)] : [released.tenantId && released.dedicatedLane ? laneQueue(released.tenantId) : CALLS_QUEUE];
  await removeJobs(released.attemptIds, queues, options.prefix ?? env().QUEUE_PREFIX, options.connect ?? failFastRedis).catch((err: unknown) =>
    log.warn({ err, ...scope, jobs: released.attemptIds.length }, "could not remove withdrawn jobs from the queue; callers will drop them"),
  );
  return { attemptIds: released.attemptIds, pending: released.pending, dedicatedLane: released.dedicatedLane };
}

/**
 * One statement, shaped like DispatchStore.releaseUndialed: deletes the never-requested attempts of the
 * scope's queued leads, returns the leads to pending with their attempt number given back, and raises the
 * campaigns' pending counters by the leads made pending, in the same statement, so counter and leads move
 * together. A campaign is only withdrawn from while it is not running: a resume that got in first keeps its
 * new claims.
 */
async function releaseQueued(pool: Pool, scope: WithdrawScope) {
  const { rows } = await pool.query(
    `WITH scope AS (
       SELECT c.id, c."tenantId" FROM "Campaign" c
       WHERE (c.id = $1::text AND c.status <> 'RUNNING') OR c."tenantId" = $2::text
     ), target AS (
       -- An attempt another statement holds is being claimed by a caller or released by one: it is theirs, and
       -- skipping it (rather than waiting) means this many-row delete can never deadlock with their releases.
       SELECT a.id FROM scope
       JOIN "Lead" l ON l."campaignId" = scope.id AND l.status = 'QUEUED'
       JOIN "CallAttempt" a ON a."leadId" = l.id AND a.outcome IS NULL AND a."requestedAt" IS NULL AND a."dialedAt" IS NULL
       FOR UPDATE OF a SKIP LOCKED
     ), del AS (
       DELETE FROM "CallAttempt" a WHERE a.id IN (SELECT id FROM target) AND a.outcome IS NULL AND a."requestedAt" IS NULL AND a."dialedAt" IS NULL
       RETURNING a.id, a."leadId", a."campaignId"
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
     SELECT t.id AS "tenantId", t."dedicatedLane",
       coalesce((SELECT array_agg(id) FROM del), '{}') AS "attemptIds",
       (SELECT count(*) FROM upd WHERE status = 'PENDING')::int AS pending
     FROM "Tenant" t WHERE t.id = coalesce($2::text, (SELECT "tenantId" FROM "Campaign" WHERE id = $1::text))`,
    ["campaignId" in scope ? scope.campaignId : null, "tenantId" in scope ? scope.tenantId : null],
  );
  const row = rows[0] as { tenantId: string; dedicatedLane: boolean; attemptIds: string[]; pending: number } | undefined;
  return row ?? { tenantId: null, dedicatedLane: false, attemptIds: [], pending: 0 };
}

/**
 * Removes the jobs in chunks; the removals of a chunk go out together on one connection. A job a caller
 * already holds cannot be removed and need not be: its attempt row is gone, so the caller drops it.
 */
async function removeJobs(jobIds: string[], queueNames: string[], prefix: string, connect: () => Redis) {
  const connection = connect();
  connection.on("error", () => undefined); // the failure surfaces as the removal's rejection
  const queues = queueNames.map((name) => {
    const queue = new Queue(name, { connection, prefix });
    queue.on("error", () => undefined);
    return queue;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = (async () => {
      for (const queue of queues) {
        for (let i = 0; i < jobIds.length; i += REMOVE_CHUNK) {
          await Promise.all(jobIds.slice(i, i + REMOVE_CHUNK).map((id) => queue.remove(id, { removeChildren: false })));
        }
      }
    })();
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`queue removal took longer than ${REMOVE_DEADLINE_MS} ms`)), REMOVE_DEADLINE_MS);
    });
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    connection.disconnect();
    await Promise.allSettled(queues.map((q) => q.close()));
  }
}

/** Gives up after a few tries instead of reconnecting forever: nothing here is worth holding up a pause for. */
function failFastRedis() {
  return producerRedis({ maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: (times) => (times > 2 ? null : 100 * times) });
}
