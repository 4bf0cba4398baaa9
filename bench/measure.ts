// What the scenarios read back: dials from CallAttempt."dialedAt" (set by the caller in the statement that marks
// the lead dialing), aggregated in SQL so a million-dial run never ships its log to Node; plus timings of the
// dispatch store's statements, taken by wrapping DispatchStore in this process only.
import { setTimeout as sleep } from "node:timers/promises";
import { CLAIM_SQL, DispatchStore } from "../lib/dispatch/store";
import { pgPool } from "../lib/pg";
import { percentile } from "./stats";

export { sleep };

// "dialedAt" is a UTC `timestamp`; comparing it with a timestamp (not timestamptz) keeps its index usable.
const AT = (param: string) => `(${param}::timestamptz AT TIME ZONE 'UTC')`;
const iso = (ms: number) => new Date(ms).toISOString();

/** Dials per tenant with dialedAt in [fromMs, toMs). */
export async function dialsByTenant(fromMs: number, toMs: number, tenantIds?: string[]): Promise<Map<string, number>> {
  const { rows } = await pgPool().query(
    `SELECT "tenantId", count(*)::int AS n FROM "CallAttempt"
     WHERE "dialedAt" >= ${AT("$1")} AND "dialedAt" < ${AT("$2")} AND ($3::text[] IS NULL OR "tenantId" = ANY($3))
     GROUP BY 1`,
    [iso(fromMs), iso(toMs), tenantIds ?? null],
  );
  return new Map(rows.map((r) => [r.tenantId as string, r.n as number]));
}

/** Dials per tenant in consecutive buckets of `bucketMs` from `fromMs`: counts[bucket][tenantId]. */
export async function dialBuckets(fromMs: number, toMs: number, bucketMs: number): Promise<Map<string, number>[]> {
  const { rows } = await pgPool().query(
    `SELECT floor((extract(epoch FROM "dialedAt") * 1000 - $3::double precision) / $4::double precision)::int AS b, "tenantId", count(*)::int AS n
     FROM "CallAttempt" WHERE "dialedAt" >= ${AT("$1")} AND "dialedAt" < ${AT("$2")}
     GROUP BY 1, 2`,
    [iso(fromMs), iso(toMs), fromMs, bucketMs],
  );
  const buckets = Array.from({ length: Math.ceil((toMs - fromMs) / bucketMs) }, () => new Map<string, number>());
  for (const r of rows) buckets[r.b]?.set(r.tenantId, r.n);
  return buckets;
}

export async function dialCount(fromMs: number, toMs: number): Promise<number> {
  const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "dialedAt" >= ${AT("$1")} AND "dialedAt" < ${AT("$2")}`, [iso(fromMs), iso(toMs)]);
  return rows[0].n;
}

/**
 * Calls in progress at `atMs` (dialed by then, not ended yet), any tenant's, and the earliest end among them:
 * when every line is busy, the first moment a newcomer's call could be placed. Read after the engine stopped,
 * when every call dialed has its endedAt.
 */
export async function callsInProgressAt(atMs: number): Promise<{ busy: number; firstEndMs: number | null }> {
  const { rows } = await pgPool().query(
    `SELECT count(*)::int AS busy, min("endedAt") AS "firstEnd" FROM "CallAttempt"
     WHERE "dialedAt" <= ${AT("$1")} AND ("endedAt" IS NULL OR "endedAt" > ${AT("$1")})`,
    [iso(atMs)],
  );
  return { busy: rows[0].busy, firstEndMs: rows[0].firstEnd ? (rows[0].firstEnd as Date).getTime() : null };
}

/** Mean dialedAt → endedAt of a tenant's finished calls, in seconds. */
export async function meanCallSeconds(tenantId: string): Promise<number> {
  const { rows } = await pgPool().query(
    `SELECT avg(extract(epoch FROM "endedAt" - "dialedAt"))::float8 AS s FROM "CallAttempt" WHERE "tenantId" = $1 AND "dialedAt" IS NOT NULL AND "endedAt" IS NOT NULL`,
    [tenantId],
  );
  return rows[0].s ?? NaN;
}

/** Attempts whose outcome is recorded: the end of the end-to-end path (dial, call, finishAttempts). */
export async function finishedCount(): Promise<number> {
  const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE outcome IS NOT NULL`);
  return rows[0].n;
}

export async function pendingLeft(campaignIds: string[]): Promise<number> {
  const { rows } = await pgPool().query(`SELECT coalesce(sum("pendingCount"), 0)::int AS n FROM "Campaign" WHERE id = ANY($1)`, [campaignIds]);
  return rows[0].n;
}

export async function sleepUntil(ms: number) {
  const wait = ms - Date.now();
  if (wait > 0) await sleep(wait);
}

export interface StatementTiming {
  calls: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  totalMs: number;
  /** Rows returned per call (claim: leads claimed), median. */
  rowsP50: number;
}

/**
 * Wraps every DispatchStore method so each call's duration is recorded. Only the bench process's store is
 * affected (the scheduler when it runs here); caller processes are measured from the outside.
 */
export function instrumentStore() {
  const samples = new Map<string, { ms: number; rows: number }[]>();
  const proto = DispatchStore.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const originals = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  for (const name of Object.getOwnPropertyNames(DispatchStore.prototype)) {
    if (name === "constructor" || typeof proto[name] !== "function") continue;
    const original = proto[name];
    originals.set(name, original);
    proto[name] = async function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      const result = await original.apply(this, args);
      const rows = Array.isArray(result) ? result.length : typeof result === "number" ? result : result instanceof Map ? result.size : 0;
      record(name, performance.now() - started, rows);
      return result;
    };
  }
  const record = (name: string, ms: number, rows: number) => {
    const list = samples.get(name) ?? [];
    list.push({ ms, rows });
    samples.set(name, list);
  };
  return {
    /** Adds a timing taken elsewhere (a Redis call, for instance) to the same table. */
    record,
    /** Timings since the last take, per statement. */
    take(): Record<string, StatementTiming> {
      const out: Record<string, StatementTiming> = {};
      for (const [name, list] of samples) {
        if (list.length === 0) continue;
        const ms = list.map((s) => s.ms);
        out[name] = {
          calls: list.length,
          p50Ms: round1(percentile(ms, 50)),
          p99Ms: round1(percentile(ms, 99)),
          maxMs: round1(Math.max(...ms)),
          totalMs: round1(ms.reduce((a, b) => a + b, 0)),
          rowsP50: percentile(list.map((s) => s.rows), 50),
        };
      }
      samples.clear();
      return out;
    },
    restore() {
      for (const [name, original] of originals) proto[name] = original;
    },
  };
}

/**
 * EXPLAIN ANALYZE of the store's claim statement for the given requests, in a transaction that is rolled back,
 * so the evidence for a slow claim is the plan Postgres really picks on this data.
 */
export async function explainClaim(requests: { campaignId: string; n: number; keys?: string[] }[]) {
  const client = await pgPool().connect();
  // The exact statement the store sends, not a copy that could drift from lib/.
  const sql = CLAIM_SQL;
  try {
    await client.query("BEGIN");
    const started = performance.now();
    // Without keys, the legacy key "" (leads the bench writes without zones).
    const pairs = requests.flatMap((r) => (r.keys ?? [""]).map((key) => [r.campaignId, key]));
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [requests.map((r) => r.campaignId), requests.map((r) => r.n), pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
    const ms = performance.now() - started;
    const plan = rows.map((r) => r["QUERY PLAN"] as string);
    const leadScans = plan.filter((l) => /Scan .*on "Lead"/.test(l)).map((l) => l.trim().replace(/^->\s*/, "").replace(/\s+\(cost=.*$/, ""));
    const removed = plan.filter((l) => /Rows Removed by Filter/.test(l)).map((l) => Number(l.replace(/\D+/g, " ").trim().split(" ")[0]));
    const execution = Number(plan.find((l) => l.startsWith("Execution Time"))?.match(/[\d.]+/)?.[0] ?? NaN);
    return { wallMs: round1(ms), executionMs: execution, leadScans, rowsRemovedByFilter: removed, plan };
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    client.release();
  }
}

/** Samples a number every `everyMs` until stopped (queue depth, for instance). */
export function sampler(read: () => Promise<number>, everyMs = 100) {
  const values: number[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      values.push(await read().catch(() => NaN));
      await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return values.filter((v) => Number.isFinite(v));
    },
  };
}

export function round1(v: number) {
  return Math.round(v * 10) / 10;
}

export interface PgStatement {
  /** The statement's text, whitespace collapsed and cut short: enough to tell which one it is. */
  query: string;
  calls: number;
  /** Time inside Postgres (planning and execution, lock waits included), ms. */
  planMs: number;
  execMs: number;
  rows: number;
  /** Shared buffers the statement touched (hit or read): how much of the tables and indexes it walked. */
  blocks: number;
}

export interface PgWindow {
  statements: PgStatement[];
  /** Autovacuum and autoanalyze runs on the engine's busiest tables that began inside the window. */
  autovacuums: number;
  autoanalyzes: number;
  /** Dead row versions per table at the window's end (as the statistics collector last counted them). */
  deadRows: Record<string, number>;
}

/**
 * Postgres' own account of a window (pg_stat_statements, loaded by the bench profile of scripts/services.ts):
 * calling it resets the counters and opens the window, `end()` reads them. Null when the server runs without the
 * module (started by an older checkout): the scenarios then report without it.
 */
export async function pgWindow() {
  const pool = pgPool();
  const tables = `SELECT coalesce(sum(autovacuum_count), 0)::int AS v, coalesce(sum(autoanalyze_count), 0)::int AS a FROM pg_stat_user_tables WHERE relname IN ('Lead', 'CallAttempt', 'Campaign', 'Tenant')`;
  try {
    await pool.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    await pool.query("SELECT pg_stat_statements_reset()");
  } catch {
    return null;
  }
  const before = (await pool.query(tables)).rows[0] as { v: number; a: number };
  return {
    async end(): Promise<PgWindow> {
      const { rows } = await pool.query(
        `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls::int, total_plan_time AS "planMs", total_exec_time AS "execMs", rows::bigint::int AS rows,
                (shared_blks_hit + shared_blks_read)::bigint::int AS blocks
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         ORDER BY total_plan_time + total_exec_time DESC`,
      );
      const after = (await pool.query(tables)).rows[0] as { v: number; a: number };
      const dead = await pool.query(`SELECT relname, n_dead_tup::int AS n FROM pg_stat_user_tables WHERE relname IN ('Lead', 'CallAttempt')`);
      return {
        deadRows: Object.fromEntries(dead.rows.map((r) => [r.relname as string, r.n as number])),
        statements: rows.map((r) => ({ ...r, query: shortQuery(r.query as string) })) as PgStatement[],
        autovacuums: after.v - before.v,
        autoanalyzes: after.a - before.a,
      };
    },
  };
}

/**
 * A label for a statement: a WITH statement by its list of CTE names (they tell the engine's statements apart: "WITH
 * req, flying, capped, open_keys, picked, upd, att, lowered" is the claim), any other by its first 90 characters.
 */
function shortQuery(q: string) {
  const text = q.trim();
  if (/^WITH\b/i.test(text)) {
    const names = [...text.matchAll(/(?:^WITH|\),)\s*(\w+)\s+AS\s+(?:MATERIALIZED\s+)?\(/gi)].map((m) => m[1]);
    if (names.length > 0) return `WITH ${names.join(", ")} …`;
  }
  return text.length > 90 ? `${text.slice(0, 90)}…` : text;
}
