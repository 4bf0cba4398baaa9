// Runs the real dispatch engine (scheduler + callers) in the test process against the real Postgres and
// Redis, under its own queue prefix, with the simulated provider at fast settings.
import { randomUUID } from "node:crypto";
import pino from "pino";
import { changeCampaignStatus } from "../campaigns/mutations";
import { env, hashTagged, type Env } from "../env";
import { pgPool } from "../pg";
import { connectRedis } from "../redis";
import { startCallerRuntime, startSchedulerRuntime } from "../dispatch/runtime";
import { wakeScheduler } from "../dispatch/wake";
import type { CountryRules } from "../rules/windows";
import { SIM_PRESETS, SimulatedProvider, type SimOptions } from "../telephony/simulated";

export interface HarnessOptions {
  mode?: "fair" | "fifo";
  concurrency?: number;
  callers?: number;
  targetDepth?: number;
  tickMs?: number;
  reconcileAfterMs?: number;
  lockMs?: number;
  sim?: Partial<SimOptions>;
  /** Calling windows on a fake clock with fixed platform rules (default: now and the CallingRule table). */
  clock?: () => Date;
  /** The callers' clock, when it should differ from the scheduler's (a job that waits past a window's close). */
  callerClock?: () => Date;
  rules?: CountryRules;
}

export async function startEngine(options: HarnessOptions = {}) {
  const prefix = hashTagged(`test-${randomUUID().slice(0, 8)}`);
  const config: Env = {
    ...env(),
    QUEUE_PREFIX: prefix,
    DISPATCH_MODE: options.mode ?? "fair",
    SCHEDULER_TICK_MS: options.tickMs ?? 1000,
    CALLER_CONCURRENCY: options.concurrency ?? 4,
    QUEUE_TARGET_DEPTH: options.targetDepth,
    RECONCILE_AFTER_MS: options.reconcileAfterMs ?? 120_000,
    CALLER_LOCK_MS: options.lockMs ?? 30_000,
    REFILL_POLL_MS: 20,
  };
  const redis = connectRedis({ maxRetriesPerRequest: null });
  const sim: SimOptions = { ...SIM_PRESETS.fast, ...options.sim };
  const provider = new SimulatedProvider(redis, `${prefix}:telephony`, sim);
  const log = pino({ level: process.env.ENGINE_TEST_LOG ?? "warn" });
  const scheduler = await startSchedulerRuntime(config, log, { provider, clock: options.clock, rules: options.rules });
  const windows = { clock: options.callerClock ?? options.clock, rules: options.rules };
  const callers: Awaited<ReturnType<typeof startCallerRuntime>>[] = [];
  for (let i = 0; i < (options.callers ?? 1); i++) callers.push(await startCallerRuntime(config, log, { provider, ...windows }));
  return {
    prefix,
    config,
    redis,
    provider,
    scheduler,
    callers,
    /** A caller on a tenant's dedicated lane. */
    async addLaneCaller(tenantId: string, concurrency: number) {
      callers.push(await startCallerRuntime(config, log, { provider, lane: tenantId, concurrency, ...windows }));
    },
    async start(tenantId: string, campaignId: string) {
      const campaign = await changeCampaignStatus(tenantId, campaignId, "start");
      await wakeScheduler({ client: redis, prefix, tenantId });
      return campaign;
    },
    async stop() {
      await scheduler.stop();
      await Promise.all(callers.map((c) => c.stop()));
      redis.disconnect();
    },
  };
}

export type Engine = Awaited<ReturnType<typeof startEngine>>;

// Each seeded campaign gets numbers of its own: a tenant's campaigns never ring one number at once (the caller
// holds the second lead back), so shared numbers would make campaigns of one tenant slow each other down.
let numbersUsed = 0;
function nextNumbers(n: number) {
  const first = 2_000_000 + (numbersUsed % 7_000_000);
  numbersUsed += n;
  return first;
}

/** A draft campaign with n generated leads, inserted set-based (valid US numbers: the callers refuse others). */
export async function seedCampaign(tenantId: string, n: number, options: { name?: string; maxAttempts?: number; retryDelaySec?: number } = {}) {
  const id = `c${randomUUID().replaceAll("-", "")}`;
  const pool = pgPool();
  await pool.query(
    `INSERT INTO "Campaign" (id, "tenantId", name, status, "totalLeads", "maxAttempts", "retryDelaySec") VALUES ($1, $2, $3, 'DRAFT', $4, $5, $6)`,
    [id, tenantId, options.name ?? id, n, options.maxAttempts ?? 3, options.retryDelaySec ?? 1800],
  );
  await pool.query(
    `INSERT INTO "Lead" ("tenantId", "campaignId", line, phone) SELECT $1, $2, g + 1, '+1212' || ($4::int + g)::text FROM generate_series(1, $3) g`,
    [tenantId, id, n, nextNumbers(n)],
  );
  return id;
}

/** Dials in the order they happened, for a set of tenants (from the attempts' dialedAt). */
export async function dialLog(tenantIds: string[]) {
  const { rows } = await pgPool().query(
    `SELECT id, "tenantId", "campaignId", "leadId"::text, "dialedAt" FROM "CallAttempt" WHERE "tenantId" = ANY($1) AND "dialedAt" IS NOT NULL ORDER BY "dialedAt", id`,
    [tenantIds],
  );
  return rows as { id: string; tenantId: string; campaignId: string; leadId: string; dialedAt: Date }[];
}

export async function leadStatusCounts(campaignId: string) {
  const { rows } = await pgPool().query(`SELECT status, count(*)::int AS n FROM "Lead" WHERE "campaignId" = $1 GROUP BY 1`, [campaignId]);
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
