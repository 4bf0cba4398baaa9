// The caller's statements stay as cheap late in a big campaign as early on, even when the planner's statistics
// were taken early (autoanalyze runs a minute or more behind a campaign that moves a thousand leads a second).
// Bench scenario 5 once found loadAttempts reading 289 buffers per dial instead of 18, and finishAttempts 220
// instead of 71: a merge join walking Lead_pkey from the first lead to the batch's, and the status index read
// for every finished lead. Both grew with the campaign's progress, so the caller slowed down as it went.
// Here, statistics are taken 1,000 leads into a 30,020-lead campaign (in tables of the test's own, so no other
// suite's data changes them); after 30,000 have finished, the next batch's statements run under EXPLAIN (ANALYZE,
// BUFFERS) and must touch a bounded number of buffers per attempt.
import { randomUUID } from "node:crypto";
import pg, { type Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "../env";
import { DispatchStore } from "./store";

const DONE = 30_000;
/** Leads already finished when the statistics are taken (bench scenario 5 took them 3 s in, at about 1,000). */
const DONE_AT_ANALYZE = 1_000;
const BATCH = 20;
/** Buffers per attempt well above what these statements need (7–75 in bench scenario 5), far below a walk. */
const MAX_BUFFERS_PER_ATTEMPT = 200;
/** The engine's tables, copied empty into a schema of this test's own, so the statistics are this test's alone. */
const TABLES = ["Tenant", "Campaign", "Lead", "CallAttempt", "SuppressedNumber", "WebhookEndpoint", "WebhookEvent"];

const schema = `stale_stats_${randomUUID().slice(0, 8)}`;
let pool: Pool;
let batch: { attemptId: string; leadId: string }[] = [];

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: env().DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  for (const t of TABLES) await admin.query(`CREATE TABLE ${schema}."${t}" (LIKE public."${t}" INCLUDING ALL)`);
  await admin.end();
  // Unqualified names find this schema's tables first, and the enum types in public.
  pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 2, options: `-c search_path=${schema},public` });
  await pool.query(`INSERT INTO "Tenant" (id, name, weight, "approvedAt") VALUES ('t1', 'stale statistics', 1, now())`);
  await pool.query(`INSERT INTO "Campaign" (id, "tenantId", name, status, "totalLeads", "startedAt") VALUES ('c1', 't1', 'big', 'RUNNING', $1, now())`, [DONE + BATCH]);
  await pool.query(`INSERT INTO "Lead" ("tenantId", "campaignId", line, phone) SELECT 't1', 'c1', g + 1, '+1212' || (5550000 + g)::text FROM generate_series(1, $1) g`, [DONE + BATCH]);
  const finish = (n: number) =>
    pool.query(
      `WITH done AS (
         UPDATE "Lead" SET status = 'FAILED', attempts = 1, "lastOutcome" = 'FAILED'
         WHERE id IN (SELECT id FROM "Lead" WHERE status = 'PENDING' ORDER BY id LIMIT $1) RETURNING id, "tenantId", "campaignId"
       )
       INSERT INTO "CallAttempt" (id, "tenantId", "campaignId", "leadId", "attemptNumber", "requestedAt", "dialedAt", "endedAt", outcome)
       SELECT gen_random_uuid()::text, "tenantId", "campaignId", id, 1, now(), now(), now(), 'FAILED' FROM done`,
      [n],
    );
  // Statistics taken early in the campaign, as the bench's (and autoanalyze, a minute or more behind) would be ...
  await finish(DONE_AT_ANALYZE);
  await pool.query(`ANALYZE "Lead"; ANALYZE "CallAttempt"`);
  // ... then most of it is dialed and done, and the next batch is queued as the scheduler's claim leaves it.
  await finish(DONE - DONE_AT_ANALYZE);
  const { rows } = await pool.query(
    `WITH next AS (
       UPDATE "Lead" SET status = 'QUEUED', attempts = 1 WHERE status = 'PENDING' RETURNING id, "tenantId", "campaignId"
     )
     INSERT INTO "CallAttempt" (id, "tenantId", "campaignId", "leadId", "attemptNumber")
     SELECT gen_random_uuid()::text, "tenantId", "campaignId", id, 1 FROM next
     RETURNING id AS "attemptId", "leadId"::text AS "leadId"`,
  );
  batch = rows;
});

afterAll(async () => {
  await pool?.end();
  const admin = new pg.Client({ connectionString: env().DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

/**
 * A pool whose statements run under EXPLAIN (ANALYZE, BUFFERS): each statement executes as it would, and the
 * buffers it touched are recorded. `explain` picks the statements to measure; the others run plainly.
 */
function explainingPool(pool: Pool, explain: (text: string) => boolean) {
  const buffers: { text: string; buffers: number }[] = [];
  const run = async (query: (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>, text: string, params?: unknown[]) => {
    if (!explain(text)) return query(text, params);
    const { rows } = await query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, params);
    const plan = (rows[0]!["QUERY PLAN"] as { Plan: Record<string, number> }[])[0]!.Plan;
    buffers.push({ text: text.trim().slice(0, 40), buffers: (plan["Shared Hit Blocks"] ?? 0) + (plan["Shared Read Blocks"] ?? 0) });
    return { rows: [] };
  };
  const wrapped = {
    query: (text: string, params?: unknown[]) => run((t, p) => pool.query(t, p), text, params),
    connect: async () => {
      const client = await pool.connect();
      return new Proxy(client, { get: (target, key) => (key === "query" ? (text: string, params?: unknown[]) => run((t, p) => target.query(t, p), text, params) : Reflect.get(target, key, target)) });
    },
  };
  return { store: new DispatchStore(wrapped as unknown as Pool), buffers };
}

describe("caller statements late in a campaign, on statistics taken at its start", () => {
  it("load, claim and finish a batch touching a bounded number of buffers per attempt, not a walk over the leads dialed before", async () => {
    const ids = batch.map((b) => b.attemptId);
    expect(ids).toHaveLength(BATCH);
    const { store, buffers } = explainingPool(pool, (text) => !/^\s*(BEGIN|SET|COMMIT|ROLLBACK)/i.test(text));

    await store.loadAttempts(ids);
    await store.claimDials(ids);
    // The claim ran for real: every attempt of the batch is now requested and its lead dialing.
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "CallAttempt" a JOIN "Lead" l ON l.id = a."leadId" WHERE a.id = ANY($1) AND a."requestedAt" IS NOT NULL AND l.status = 'DIALING'`, [ids]);
    expect(rows[0].n).toBe(BATCH);
    await store.finishAttempts(
      batch.map((b) => ({ attemptId: b.attemptId, tenantId: "t1", leadId: b.leadId, outcome: "COMPLETED", answeredAt: new Date(), endedAt: new Date(), durationSec: 30, providerCallId: null, leadStatus: "COMPLETED", nextAttemptAt: null })),
    );
    const finished = await pool.query(`SELECT count(*)::int AS n FROM "Lead" WHERE id = ANY($1::bigint[]) AND status = 'COMPLETED'`, [batch.map((b) => b.leadId)]);
    expect(finished.rows[0].n).toBe(BATCH);

    expect(buffers.map((b) => b.text)).toHaveLength(4); // load, the numbers' locks, the dial claim, finish
    const perAttempt = buffers.map((b) => ({ statement: b.text, perAttempt: Math.round(b.buffers / BATCH) }));
    expect(perAttempt.filter((b) => b.perAttempt >= MAX_BUFFERS_PER_ATTEMPT)).toEqual([]);
  });
});
