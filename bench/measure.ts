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
