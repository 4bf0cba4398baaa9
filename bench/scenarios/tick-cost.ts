// Scenario 7: what one scheduler tick costs with many tenants, many running campaigns and millions of pending
// leads, and whether that cost stays flat as the lead count grows. The Scheduler is built as runtime.ts builds
// it, with no callers and a fixed target depth, and tick() is called directly. Between ticks (untimed) the queue
// is emptied and the claimed leads are marked completed, as if callers had dialed them, so every tick gets the
// full budget and starts from the same state: an empty queue, nothing in flight. That is the costliest start
// for a tick, since every tenant's first round then goes to the front of the queue.
import { hashTagged } from "../../lib/env";
import pino from "pino";
import { EngineState } from "../../lib/dispatch/engine-state";
import { LeaderLease } from "../../lib/dispatch/leader";
import { queueFactory } from "../../lib/dispatch/runtime";
import { Scheduler } from "../../lib/dispatch/scheduler";
import { DispatchStore } from "../../lib/dispatch/store";
import { CountryRulesCache } from "../../lib/dispatch/windows";
import { pgPool } from "../../lib/pg";
import { workerRedis } from "../../lib/redis";
import { analyze } from "../fixtures";
import { explainClaim, instrumentStore, type StatementTiming } from "../measure";
import { verdict, type Scenario, type ScenarioContext } from "../scenario";
import { formatNumber, formatStat, percentile, summarize, type Stat } from "../stats";

const TARGET_MS = 50;
const CAMPAIGNS_PER_INSERT = 500;
/** Leads outside their calling window carry this key (the bench's rules keep its country closed). */
const CLOSED_COUNTRY = "ZZ";
const CLOSED_KEY = `${CLOSED_COUNTRY}|UTC`;

interface Point {
  leads: number;
  fillSeconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  tickMs: Stat;
  dispatchedP50: number;
  claimP50Ms: number;
  statements: Record<string, StatementTiming>;
  claimPlan: { executionMs: number; leadScans: string[] } | null;
}

export const run: Scenario = async (ctx) => {
  const cfg = ctx.config.s7;
  await createTenantsAndCampaigns(ctx);
  const prefix = hashTagged(`bench7-${Date.now().toString(36)}`);
  const redis = workerRedis();
  const state = new EngineState(redis, prefix);
  const queues = queueFactory(prefix, redis);
  const scheduler = new Scheduler({
    store: new DispatchStore(pgPool()),
    state,
    lease: new LeaderLease(pgPool(), `${prefix}:scheduler`, `bench7-${process.pid}`, { ttlMs: 60_000, renewEveryMs: 20_000 }),
    sharedQueue: queues.shared(),
    laneQueue: queues.lane,
    log: pino({ level: "warn" }),
    config: { mode: "fair", targetDepth: cfg.budget, fallbackConcurrency: ctx.config.concurrency, cpsHorizonSec: 2, fifoChunk: 5000 },
    // The closed key's country has an empty set of calling hours: its leads are outside their window at any time.
    rules: CountryRulesCache.fixed(new Map([[CLOSED_COUNTRY, []]])),
  });
  const timings = instrumentStore();
  timeQueueCalls(queues.shared(), timings);
  timeClaimWall(scheduler, timings);
  const points: Point[] = [];
  try {
    let lines = 0;
    for (const leads of cfg.leadCounts) {
      const fillStarted = Date.now();
      // Top up to the target: the previous count's ticks consumed some leads.
      lines = await addLeads(ctx, lines, leads - (await pendingTotal()));
      await analyze();
      const fillSeconds = (Date.now() - fillStarted) / 1000;
      const pending = await pendingTotal();

      const ms: number[] = [];
      const dispatched: number[] = [];
      for (let i = 0; i < cfg.warmupTicks + cfg.ticks; i++) {
        await settle(queues.shared());
        if (i === cfg.warmupTicks) timings.take();
        const started = performance.now();
        const info = await scheduler.tick();
        const elapsed = performance.now() - started;
        if (!info) throw new Error("the bench scheduler lost its leader lock");
        if (i >= cfg.warmupTicks) {
          ms.push(elapsed);
          dispatched.push(info.dispatched);
        }
      }
      const statements = timings.take();
      await settle(queues.shared());
      const plan = await explainClaim(await sampleRequests(cfg.budget)).catch(() => null);
      const point: Point = {
        leads: pending,
        fillSeconds,
        p50Ms: round(percentile(ms, 50)),
        p99Ms: round(percentile(ms, 99)),
        maxMs: round(Math.max(...ms)),
        meanMs: round(ms.reduce((a, b) => a + b, 0) / ms.length),
        tickMs: summarize(ms),
        dispatchedP50: percentile(dispatched, 50),
        claimP50Ms: statements.claim?.p50Ms ?? NaN,
        statements,
        claimPlan: plan && { executionMs: plan.executionMs, leadScans: plan.leadScans },
      };
      points.push(point);
      ctx.log(`${formatNumber(pending, 0)} pending leads: tick p50 ${point.p50Ms} ms, p99 ${point.p99Ms} ms (${point.dispatchedP50} jobs/tick; claim p50 ${point.claimP50Ms} ms)`);
    }
  } finally {
    timings.restore();
    await queues.shared().obliterate({ force: true }).catch(() => undefined);
    await queues.close();
    redis.disconnect();
  }

  const first = points[0]!;
  const last = points.at(-1)!;
  const growth = last.p50Ms / first.p50Ms;
  const flat = growth <= 1.5;
  const rows = points.map((p) => ({
    metric: `tick p50 / p99 at ${formatNumber(p.leads, 0)} pending leads${cfg.outsideShare > 0 ? `, ${formatShare(cfg.outsideShare)} outside their window` : ""}`,
    fifo: "—",
    fair: `${p.p50Ms} / ${p.p99Ms} ms`,
    target: "p99 ≤ 50 ms",
    verdict: verdict(p.p99Ms <= TARGET_MS),
  }));
  rows.push({ metric: `flat in lead count: p50 at ${formatNumber(last.leads, 0)} ÷ p50 at ${formatNumber(first.leads, 0)}`, fifo: "—", fair: `${growth.toFixed(2)}×`, target: "≤ 1.5×", verdict: verdict(flat) });
  return {
    rows,
    notes: notes(ctx, points),
    data: { config: cfg, points },
  };
};

function notes(ctx: ScenarioContext, points: Point[]): string[] {
  const cfg = ctx.config.s7;
  const out = [
    `${formatNumber(cfg.tenants, 0)} tenants, ${formatNumber(cfg.campaigns, 0)} running campaigns, a budget of ${cfg.budget} jobs per tick; ${cfg.ticks} measured ticks per lead count after ${cfg.warmupTicks} warm-up ticks. ` +
      `Tick times are wall time around Scheduler.tick(), leader-lock renewal and Redis bookkeeping included. fifo has no budget (it pours everything), so it has no tick cost to compare.` +
      (cfg.outsideShare > 0 ? ` Every campaign's leads alternate between two calling windows, ${formatShare(cfg.outsideShare)} of them in one that is closed throughout: the claim must neither read them nor count them as backlog.` : ""),
  ];
  for (const p of points) {
    const sql = Object.entries(p.statements)
      .map(([name, t]) => `${name} ${t.p50Ms} ms`)
      .join(", ");
    out.push(
      `${formatNumber(p.leads, 0)} leads (filled in ${p.fillSeconds.toFixed(0)} s): tick ${formatStat(p.tickMs, 1, " ms")}; statements p50: ${sql}.` +
        (p.claimPlan ? ` A ${cfg.budget}-lead claim reads Lead with ${[...new Set(p.claimPlan.leadScans)].map((s) => `\`${s}\``).join(" and ")} (${p.claimPlan.executionMs} ms under EXPLAIN ANALYZE).` : ""),
    );
    out.push(breakdown(p, cfg.ticks));
  }
  return out;
}

/**
 * Where a mean tick's time goes: the claim as the tick waits for it, publishing the jobs, the reads of every
 * running campaign, and the rest (the tick's own work in JS: windows, allocation, placement; Redis bookkeeping).
 * The claim and the publish scale with the jobs: per job, they are the floor of a tick of that size.
 */
function breakdown(p: Point, ticks: number): string {
  const perTick = (name: string) => (p.statements[name]?.totalMs ?? 0) / ticks;
  const claim = perTick(CLAIM_WALL);
  const claimStatements = perTick("claim");
  const publish = perTick(PUBLISH_WALL);
  const reads = perTick("runningCampaigns") + perTick("inFlightByTenant") + perTick("queue.getJobCounts");
  const rest = Math.max(0, p.meanMs - claim - publish - reads);
  const perJobUs = ((claim + publish) / Math.max(1, p.dispatchedP50)) * 1000;
  return (
    `${formatNumber(p.leads, 0)} leads, a mean tick of ${p.meanMs} ms: the claim ${claim.toFixed(1)} ms (its transactions side by side, ${claimStatements.toFixed(1)} ms of statement time), ` +
    `publishing ${publish.toFixed(1)} ms (${perTick("queue.addBulk").toFixed(1)} ms of addBulk calls side by side), reading the running campaigns and the in-flight counts ${reads.toFixed(1)} ms, the rest ${rest.toFixed(1)} ms. ` +
    `The claim and the publish cost ${perJobUs.toFixed(0)} µs per job: ${formatNumber(p.dispatchedP50, 0)} jobs take ${((perJobUs * p.dispatchedP50) / 1000).toFixed(0)} ms for those two alone.`
  );
}

const CLAIM_WALL = "tick.claim (wall)";
const PUBLISH_WALL = "tick.publish (wall)";

/** The tick's claim as the tick waits for it (Scheduler.claimIsolated): its parts run side by side, so the statements' sum is not its cost. */
function timeClaimWall(scheduler: Scheduler, timings: ReturnType<typeof instrumentStore>) {
  const s = scheduler as unknown as Record<string, (...args: unknown[]) => Promise<unknown[]>>;
  const original = s.claimIsolated!.bind(scheduler);
  s.claimIsolated = async (...args: unknown[]) => {
    const started = performance.now();
    const claimed = await original(...args);
    timings.record(CLAIM_WALL, performance.now() - started, claimed.length);
    return claimed;
  };
}

/** Tenants t00001…, campaigns c000001… spread evenly over them, all RUNNING, no leads yet. */
async function createTenantsAndCampaigns(ctx: ScenarioContext) {
  const { tenants, campaigns } = ctx.config.s7;
  ctx.log(`creating ${formatNumber(tenants, 0)} tenants and ${formatNumber(campaigns, 0)} running campaigns`);
  const pool = pgPool();
  await pool.query(`INSERT INTO "Tenant" (id, name, "approvedAt") SELECT 't' || lpad(g::text, 5, '0'), 'bench tenant ' || g, now() FROM generate_series(1, $1) g`, [tenants]);
  await pool.query(
    `INSERT INTO "Campaign" (id, "tenantId", name, status, "startedAt", "totalLeads", "pendingCount")
     SELECT 'c' || lpad(g::text, 6, '0'), 't' || lpad((((g - 1) % $2) + 1)::text, 5, '0'), 'bench campaign ' || g, 'RUNNING', now(), 0, 0
     FROM generate_series(1, $1) g`,
    [campaigns, tenants],
  );
  if (ctx.config.s7.outsideShare > 0) {
    await pool.query(`INSERT INTO "CampaignWindowKey" ("campaignId", key, country, zones) SELECT id, $1, $2, ARRAY['UTC'] FROM "Campaign"`, [CLOSED_KEY, CLOSED_COUNTRY]);
  }
}

/**
 * Adds `count` pending leads spread evenly over the campaigns, each campaign's batch contiguous like an import;
 * `lines` is how many each campaign already has. Returns the new per-campaign line count.
 */
async function addLeads(ctx: ScenarioContext, lines: number, count: number) {
  const { campaigns, outsideShare } = ctx.config.s7;
  const perCampaign = Math.max(0, Math.floor(count / campaigns));
  // Every (1/share)-th lead of a campaign is in the closed window, interleaved with the open ones (in the legacy
  // key "", which no platform rule applies to).
  const every = outsideShare > 0 ? Math.max(1, Math.round(1 / outsideShare)) : 0;
  const firstLine = lines + 1;
  ctx.log(`adding ${formatNumber(perCampaign * campaigns, 0)} leads (${perCampaign} per campaign)`);
  const pool = pgPool();
  for (let lo = 1; lo <= campaigns; lo += CAMPAIGNS_PER_INSERT) {
    const hi = Math.min(campaigns, lo + CAMPAIGNS_PER_INSERT - 1);
    await pool.query(
      `INSERT INTO "Lead" ("tenantId", "campaignId", line, phone, "windowKey")
       SELECT c."tenantId", c.id, g, '+1555' || lpad((g % 10000000)::text, 7, '0'), CASE WHEN $5::int > 0 AND g % $5::int = 0 THEN $6 ELSE '' END
       FROM "Campaign" c CROSS JOIN generate_series($3::int, $4::int) g
       WHERE c.id BETWEEN 'c' || lpad($1::text, 6, '0') AND 'c' || lpad($2::text, 6, '0')
       ORDER BY c.id, g`,
      [lo, hi, firstLine, firstLine + perCampaign - 1, every, CLOSED_KEY],
    );
  }
  await pool.query(`UPDATE "Campaign" SET "pendingCount" = "pendingCount" + $1, "totalLeads" = "totalLeads" + $1`, [perCampaign]);
  return lines + perCampaign;
}

/** Untimed, between ticks: the callers "dialed" what the last tick queued, and the queue is empty again. */
async function settle(queue: { drain(delayed?: boolean): Promise<void> }) {
  await queue.drain(true);
  await pgPool().query(`UPDATE "Lead" SET status = 'COMPLETED', "updatedAt" = now() WHERE status = 'QUEUED'`);
}

async function pendingTotal() {
  const { rows } = await pgPool().query(`SELECT coalesce(sum("pendingCount"), 0)::bigint AS n FROM "Campaign" WHERE status = 'RUNNING'`);
  return Number(rows[0].n);
}

/** A claim shaped like a tick's: one lead from each of `budget` campaigns, from the open window only. */
async function sampleRequests(budget: number) {
  const { rows } = await pgPool().query(`SELECT id FROM "Campaign" WHERE status = 'RUNNING' ORDER BY id LIMIT $1`, [budget]);
  return rows.map((r) => ({ campaignId: r.id as string, n: 1, keys: [""] }));
}

/**
 * The tick's Redis side (publishing jobs, reading the depth) next to its SQL, in the same timing table. A tick's
 * addBulk calls overlap (publish.ts sends its chunks side by side), so publishing is also timed as the tick waits
 * for it: from the first call starting while none runs until the last of them ends.
 */
function timeQueueCalls(queue: object, timings: ReturnType<typeof instrumentStore>) {
  const q = queue as Record<string, (...args: unknown[]) => Promise<unknown>>;
  let running = 0;
  let busySince = 0;
  for (const name of ["addBulk", "getJobCounts"]) {
    const original = q[name]!.bind(queue);
    q[name] = async (...args: unknown[]) => {
      const started = performance.now();
      if (name === "addBulk" && running++ === 0) busySince = started;
      try {
        return await original(...args);
      } finally {
        const ended = performance.now();
        timings.record(`queue.${name}`, ended - started, Array.isArray(args[0]) ? args[0].length : 0);
        if (name === "addBulk" && --running === 0) timings.record(PUBLISH_WALL, ended - busySince, 0);
      }
    };
  }
}

function formatShare(share: number) {
  return share === 0.5 ? "half" : `${Math.round(share * 100)} %`;
}

function round(v: number) {
  return Math.round(v * 10) / 10;
}
