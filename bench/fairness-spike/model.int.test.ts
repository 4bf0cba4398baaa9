// The model of bench/fairness-spike against the real thing: the real Scheduler (wired as runtime.ts wires it:
// DispatchStore on Postgres, EngineState and the shared BullMQ queue on Redis, a LeaderLease) and the model are
// given the same tenants, campaigns and leads, the same fixed target depth and the same "caller" steps between
// hand-called ticks, and must leave the same jobs in the queue in the same order.
import { randomUUID } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineState } from "../../lib/dispatch/engine-state";
import { LeaderLease } from "../../lib/dispatch/leader";
import { queueFactory } from "../../lib/dispatch/runtime";
import { Scheduler } from "../../lib/dispatch/scheduler";
import { DispatchStore, type RunningCampaign } from "../../lib/dispatch/store";
import { pgPool } from "../../lib/pg";
import { CALLS_QUEUE } from "../../lib/queue/names";
import { workerRedis } from "../../lib/redis";
import { createTenant } from "../../lib/test/factories";
import { seedCampaign } from "../../lib/test/engine-harness";
import { DEFAULT_MODEL_CONFIG, SchedulerModel, type ModelConfig } from "./model";
import { QueueModel, StoreModel } from "./store-model";

const TARGET = 8;
// As lib/dispatch/scheduler.ts does it: the head round on wake-up ticks (a fixed target, so no lookahead sizing).
const MODEL: Omit<ModelConfig, "concurrency"> = { ...DEFAULT_MODEL_CONFIG, headRound: "wake", targetDepth: TARGET };

/** Reads only this test's tenants, so other suites' running campaigns on the same database stay out of it. */
class ScopedStore extends DispatchStore {
  constructor(private readonly tenants: Set<string>) {
    super(pgPool());
  }
  override async runningCampaigns(): Promise<RunningCampaign[]> {
    return (await super.runningCampaigns()).filter((c) => this.tenants.has(c.tenantId));
  }
  override async inFlightByTenant() {
    return new Map([...(await super.inFlightByTenant())].filter(([id]) => this.tenants.has(id)));
  }
  // Housekeeping reaches every campaign in the database; none of it applies here (no retries, exact counters).
  override async releaseDueRetries() {
    return 0;
  }
  override async healStuckCounters() {
    return [];
  }
}

const prefix = `spike-model-${randomUUID().slice(0, 8)}`;
const redis = workerRedis();
const queues = queueFactory(prefix, redis);
const mine = new Set<string>();
const campaigns: string[] = [];

afterAll(async () => {
  if (campaigns.length > 0) await pgPool().query(`UPDATE "Campaign" SET status = 'CANCELLED' WHERE id = ANY($1)`, [campaigns]);
  await queues.shared().obliterate({ force: true }).catch(() => undefined);
  await queues.close();
  redis.disconnect();
});

describe("the scheduler model", () => {
  let real: Scheduler;
  let model: SchedulerModel;
  const store = new StoreModel();
  const queue = new QueueModel();
  let tenants: { id: string; weight: number }[] = [];

  beforeAll(async () => {
    const created = [];
    for (const weight of [1, 1, 2, 1]) created.push(await createTenant({ weight }));
    tenants = created.map((t) => ({ id: t.id, weight: t.weight }));
    for (const t of tenants) {
      mine.add(t.id);
      store.addTenant({ id: t.id, weight: t.weight });
    }
    real = new Scheduler({
      store: new ScopedStore(mine),
      state: new EngineState(redis, prefix),
      lease: new LeaderLease(pgPool(), `${prefix}:scheduler`, `${prefix}-leader`, { ttlMs: 60_000, renewEveryMs: 20_000 }),
      sharedQueue: queues.shared(),
      laneQueue: queues.lane,
      log: pino({ level: "warn" }),
      config: { mode: "fair", targetDepth: TARGET, fallbackConcurrency: 4, cpsHorizonSec: 2, fifoChunk: 5000 },
    });
    model = new SchedulerModel(store, queue, { ...MODEL, concurrency: 4 });
  });

  /** Starts a campaign in Postgres and in the model, with the same lead ids in the same order. */
  async function start(tenantIndex: number, leads: number) {
    const tenant = tenants[tenantIndex]!;
    const id = await seedCampaign(tenant.id, leads);
    campaigns.push(id);
    // Start order is the allocation's campaign order: give each a distinct start time.
    await pgPool().query(`UPDATE "Campaign" SET status = 'RUNNING', "startedAt" = now() + make_interval(secs => $2), "pendingCount" = $3 WHERE id = $1`, [id, campaigns.length, leads]);
    const { rows } = await pgPool().query(`SELECT id::text AS lead FROM "Lead" WHERE "campaignId" = $1 ORDER BY "Lead".id`, [id]);
    store.startCampaign(id, tenant.id, campaigns.length, rows.map((r) => r.lead as string));
  }

  /** One tick of each; `wake` as when a campaign start woke the scheduler, naming `wokenTenants`. */
  async function tickBoth(step: number, wake = false, wokenTenants?: ReadonlySet<string>) {
    const info = await real.tick({ wake, wokenTenants });
    expect(info, "the test scheduler leads").not.toBeNull();
    model.publish(model.tick(step, { wake, wokenTenants }));
    const realOrder = await realQueue();
    const modelOrder = queue.jobs.map((j) => ({ tenant: j.tenantId, lead: j.id }));
    // Tenants by their index (easier to read in a failure), then the leads themselves.
    const name = (id: string) => `t${tenants.findIndex((t) => t.id === id)}`;
    expect(realOrder.map((j) => name(j.tenant)), `tick ${step}: tenant order, head first`).toEqual(modelOrder.map((j) => name(j.tenant)));
    expect(realOrder.map((j) => j.lead), `tick ${step}: lead order`).toEqual(modelOrder.map((j) => j.lead));
    return realOrder.length;
  }

  /** A caller takes `n` jobs from the head: they leave the queue and their leads are dialing. */
  async function take(n: number) {
    const head = (await realQueue()).slice(0, n);
    for (const job of head) await queues.shared().remove(job.jobId);
    await pgPool().query(`UPDATE "Lead" SET status = 'DIALING' WHERE id = ANY($1::bigint[])`, [head.map((j) => j.lead)]);
    for (let i = 0; i < n; i++) {
      const job = queue.take();
      if (job) store.dial(job.id);
    }
    return head.map((j) => j.lead);
  }

  async function finish(leads: string[]) {
    await pgPool().query(`UPDATE "Lead" SET status = 'COMPLETED' WHERE id = ANY($1::bigint[])`, [leads]);
    for (const id of leads) store.finish(id);
  }

  it("leaves the same jobs in the queue in the same order as the real scheduler, tick after tick", async () => {
    await start(0, 30);
    await start(1, 30);
    await start(2, 40);
    let step = 0;
    await tickBoth(step++, true);
    let dialing = await take(5);
    await tickBoth(step++);
    await finish(dialing);
    dialing = await take(2);
    // A newcomer (weight 1) while the queue is full: its first round goes to the head on the wake-up tick.
    await start(3, 10);
    expect(await tickBoth(step++, true)).toBeGreaterThan(TARGET - 2);
    expect(queue.jobs[0]!.tenantId).toBe(tenants[3]!.id);
    for (const n of [3, 8, 2, 7, 4, 8]) {
      await finish(dialing);
      dialing = await take(n);
      await tickBoth(step++);
    }
    // The model and the real scheduler agree on the backlog left, too.
    const { rows } = await pgPool().query(`SELECT "tenantId", sum("pendingCount")::int AS n FROM "Campaign" WHERE id = ANY($1) GROUP BY 1`, [campaigns]);
    const pending = Object.fromEntries(rows.map((r) => [r.tenantId as string, r.n as number]));
    const modelPending = Object.fromEntries(tenants.map((t) => [t.id, store.campaigns.filter((c) => c.tenantId === t.id).reduce((s, c) => s + c.pending.length, 0)]));
    expect(pending).toEqual(modelPending);
  });

  it("on a wake-up, the tenant that pressed start goes ahead of the other idle tenants' head jobs", async () => {
    // Every tenant idle: the callers took every queued job and every call ended.
    await take((await realQueue()).length);
    const { rows } = await pgPool().query(`UPDATE "Lead" SET status = 'COMPLETED' WHERE "campaignId" = ANY($1) AND status = 'DIALING' RETURNING id::text AS id`, [campaigns]);
    for (const r of rows) store.finish(r.id as string);
    // The newcomer is the tenant allocate() would sweep last (ids in order), so only the wake-up can put it first.
    const last = tenants.reduce((a, b) => (a.id > b.id ? a : b));
    await start(tenants.indexOf(last), 5);
    await tickBoth(100, true, new Set([last.id]));
    const order = (await realQueue()).map((j) => j.tenant);
    expect(order[0]).toBe(last.id);
    // The others' head jobs follow; nobody idle was left out.
    expect(new Set(order.slice(0, tenants.length))).toEqual(new Set(tenants.map((t) => t.id)));
  });
});

/** The real shared queue's waiting jobs, head (the next a caller takes) first. */
async function realQueue(): Promise<{ jobId: string; tenant: string; lead: string }[]> {
  // BullMQ pushes a job on the left of the wait list (a lifo one on the right) and callers take from the right.
  const ids = (await redis.lrange(`${prefix}:${CALLS_QUEUE}:wait`, 0, -1)).reverse();
  const jobs = await Promise.all(ids.map((id) => queues.shared().getJob(id)));
  return jobs.map((job, i) => ({ jobId: ids[i]!, tenant: job!.data.tenantId, lead: job!.data.leadId }));
}
