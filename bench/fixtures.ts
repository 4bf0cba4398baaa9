// Data for the scenarios: a clean slate between runs and set-based seeding, so a million leads take seconds and
// no scenario sees another's campaigns (the scheduler dispatches every RUNNING campaign in the database).
import { pgPool } from "../lib/pg";
import { connectRedis, flushAll } from "../lib/redis";
import { startEngine, seedCampaign, type HarnessOptions } from "../lib/test/engine-harness";
import { createTenant } from "../lib/test/factories";
import type { BenchConfig } from "./config";

/** Empties the bench database and Redis; everything hangs off Tenant through cascading foreign keys. */
export async function resetData() {
  await pgPool().query(`TRUNCATE "Tenant" CASCADE`);
  const redis = connectRedis({ maxRetriesPerRequest: null });
  await flushAll(redis);
  redis.disconnect();
}

export interface SeededTenant {
  tenantId: string;
  campaignIds: string[];
}

/** A tenant with one draft campaign per entry of `campaignLeads`, seeded with generate_series. */
export async function seedTenant(campaignLeads: number[], options: { name?: string; weight?: number } = {}): Promise<SeededTenant> {
  const tenant = await createTenant({ name: options.name, weight: options.weight });
  const campaignIds: string[] = [];
  // maxAttempts 3 with the default 30-minute retry delay: retries exist, as in production, but none falls due in a run.
  for (const n of campaignLeads) campaignIds.push(await seedCampaign(tenant.id, n));
  return { tenantId: tenant.id, campaignIds };
}

/** Fresh planner statistics after a bulk load, as autovacuum would eventually provide in production. */
export async function analyze() {
  await pgPool().query(`ANALYZE "Lead"; ANALYZE "Campaign"; ANALYZE "Tenant"; ANALYZE "CallAttempt"`);
}

/**
 * Stops dispatch before the engine is stopped: a fifo scheduler in the middle of pouring a million leads
 * would otherwise finish the pour first (its claims return nothing once the campaign is no longer running).
 */
export async function cancelRunning() {
  await pgPool().query(`UPDATE "Campaign" SET status = 'CANCELLED' WHERE status IN ('RUNNING', 'PAUSED')`);
}

/**
 * The in-process engine of scenarios 1–5: one scheduler and one caller sharing the bench process. `options`
 * replaces the config's sizes; `targetDepth: undefined` there leaves the lookahead to the engine's own sizing.
 */
export function startBenchEngine(config: BenchConfig, mode: "fair" | "fifo", options: Pick<HarnessOptions, "concurrency" | "targetDepth" | "tickMs" | "sim"> = {}) {
  return startEngine({ mode, concurrency: config.concurrency, targetDepth: config.targetDepth, tickMs: config.tickMs, sim: { seed: config.seed }, ...options });
}

export type BenchEngine = Awaited<ReturnType<typeof startBenchEngine>>;

/** Starts campaigns in order; returns each campaign's startedAt (ms). */
export async function startAll(engine: BenchEngine, tenants: SeededTenant[]) {
  const started: number[] = [];
  for (const t of tenants) {
    for (const id of t.campaignIds) started.push((await engine.start(t.tenantId, id)).startedAt!.getTime());
  }
  return started;
}

export async function stopEngine(engine: BenchEngine) {
  await cancelRunning();
  await engine.stop();
}
