// Wires the engine's parts to real Postgres, Redis and a provider. The worker process calls these; so do
// integration tests and benchmarks, with their own queue prefix and settings.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { changeCampaignStatus } from "../campaigns/mutations";
import type { Env } from "../env";
import type { CountryRules } from "../rules/windows";
import { pgPool } from "../pg";
import { CALLS_QUEUE, laneQueue } from "../queue/names";
import type { CallJob } from "../queue/schema";
import { subscriberRedis, workerRedis } from "../redis";
import { createProvider } from "../telephony/registry";
import type { TelephonyProvider } from "../telephony/provider";
import { CallProcessor, type CallJobData } from "./caller";
import { CpsLimiter } from "./cps-limiter";
import { EngineState } from "./engine-state";
import { LeaderLease } from "./leader";
import { EngineMetrics } from "./metrics";
import { reconcile } from "./reconcile";
import { Scheduler } from "./scheduler";
import { DispatchStore } from "./store";
import { wakeChannel, wokenTenant } from "./wake";
import { CountryRulesCache } from "./windows";

type Config = Pick<Env, "QUEUE_PREFIX" | "DISPATCH_MODE" | "SCHEDULER_TICK_MS" | "CALLER_CONCURRENCY" | "QUEUE_TARGET_DEPTH" | "PROVIDER_MAX_CPS" | "RECONCILE_AFTER_MS" | "CALLER_LOCK_MS" | "REFILL_POLL_MS" | "TELEPHONY_PROVIDER"> & Env;

export interface Runtime {
  stop(): Promise<void>;
}

export function queueFactory(prefix: string, connection: Redis) {
  const queues = new Map<string, Queue<CallJob>>();
  const get = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue<CallJob>(name, { connection, prefix, defaultJobOptions: { attempts: 1, removeOnComplete: { count: 1000, age: 3600 }, removeOnFail: { count: 5000, age: 86_400 } } });
      queues.set(name, q);
    }
    return q;
  };
  return { shared: () => get(CALLS_QUEUE), lane: (tenantId: string) => get(laneQueue(tenantId)), close: () => Promise.all([...queues.values()].map((q) => q.close())) };
}

/** Calling-window inputs a test can fix: the clock and the platform's rules (default: now and the CallingRule table). */
export interface WindowOptions {
  clock?: () => Date;
  rules?: CountryRules;
}

export async function startSchedulerRuntime(config: Config, log: Logger, options: { provider?: TelephonyProvider; instanceId?: string } & WindowOptions = {}): Promise<Runtime & { scheduler: Scheduler; tickNow(options?: { wake?: boolean }): Promise<void> }> {
  const redis = workerRedis();
  const subscriber = subscriberRedis();
  const state = new EngineState(redis, config.QUEUE_PREFIX);
  const store = new DispatchStore(pgPool());
  const queues = queueFactory(config.QUEUE_PREFIX, redis);
  const provider = options.provider ?? createProvider(config, redis);
  const id = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 6)}`;
  // Renewed on its own timer, three renewals per lease: a long tick or a slow provider cannot let it lapse, and
  // a dead leader is replaced within about one lease.
  const renewEveryMs = Math.max(100, Math.min(2000, Math.round(config.SCHEDULER_TICK_MS / 2)));
  const lease = new LeaderLease(pgPool(), `${config.QUEUE_PREFIX}:scheduler`, id, { ttlMs: 3 * renewEveryMs, renewEveryMs }, (leading) => {
    log.info({ instance: id, leading }, leading ? "scheduler is the leader" : "scheduler is standing by");
    if (leading) void requestTick();
  });
  const metrics = new EngineMetrics(redis, config.QUEUE_PREFIX);
  const scheduler = new Scheduler({
    store,
    state,
    lease,
    sharedQueue: queues.shared(),
    laneQueue: queues.lane,
    log,
    metrics,
    config: { mode: config.DISPATCH_MODE, targetDepth: config.QUEUE_TARGET_DEPTH, refillPollMs: config.REFILL_POLL_MS, fallbackConcurrency: config.CALLER_CONCURRENCY, cpsHorizonSec: 2, fifoChunk: 5000, clock: options.clock },
    rules: rulesCache(store, options.rules),
    pauseCampaign: (tenantId, campaignId) => changeCampaignStatus(tenantId, campaignId, "pause", { queuePrefix: config.QUEUE_PREFIX }),
  });

  let running: Promise<void> | null = null;
  let again = false;
  // A wake-up (campaign started or resumed) that the next tick has not served yet, and the tenants it named.
  let woken = false;
  let wokenTenants = new Set<string>();
  let stopped = false;
  let lastTickAt = 0;
  const reconcileEveryMs = Math.max(1000, Math.min(30_000, config.RECONCILE_AFTER_MS / 2));

  const runTick = async () => {
    do {
      again = false;
      const wake = woken;
      const tenants = wokenTenants;
      woken = false;
      wokenTenants = new Set();
      try {
        await scheduler.tick({ wake, wokenTenants: tenants });
        lastTickAt = Date.now();
      } catch (err) {
        log.error({ err }, "scheduler tick failed");
      }
    } while (again && !stopped);
  };
  const requestTick = () => {
    if (stopped) return running ?? Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = runTick().finally(() => {
      running = null;
    });
    return running;
  };

  // The periodic tick (standbys don't tick: the lease's own timer tries to take over and wakes us).
  const tickTimer = setInterval(() => {
    if (lease.leading && Date.now() - lastTickAt >= config.SCHEDULER_TICK_MS) void requestTick();
  }, Math.max(10, Math.floor(config.SCHEDULER_TICK_MS / 4)));
  // The reconciler on its own timer: provider lookups can be slow (or fail for minutes), and dispatch must not wait.
  let reconciling = false;
  const reconcileTimer = setInterval(async () => {
    if (!lease.leading || reconciling || stopped) return;
    reconciling = true;
    try {
      await reconcile({ store, provider, queueFor: (a) => (a.dedicatedLane ? queues.lane(a.tenantId) : queues.shared()), log, metrics }, config.RECONCILE_AFTER_MS);
    } catch (err) {
      log.error({ err }, "reconciler failed");
    } finally {
      reconciling = false;
    }
  }, reconcileEveryMs);
  // Refill: when the queue has drained below half its target and work is waiting, don't wait for the tick.
  const refillTimer = setInterval(async () => {
    if (!lease.leading || running || !scheduler.hasBacklog) return;
    try {
      const { depth, target } = await scheduler.capacity();
      if (depth <= target / 2) void requestTick();
    } catch {
      // next poll
    }
  }, config.REFILL_POLL_MS);
  await subscriber.subscribe(wakeChannel(config.QUEUE_PREFIX));
  subscriber.on("message", (_channel: string, message: string) => {
    woken = true;
    const tenantId = wokenTenant(message);
    if (tenantId) wokenTenants.add(tenantId);
    void requestTick();
  });
  lease.start();
  await lease.acquireOrRenew();
  await requestTick();

  return {
    scheduler,
    tickNow: (options: { wake?: boolean } = {}) => {
      if (options.wake) woken = true;
      return requestTick();
    },
    async stop() {
      stopped = true;
      clearInterval(tickTimer);
      clearInterval(refillTimer);
      clearInterval(reconcileTimer);
      await running;
      await lease.release().catch(() => undefined);
      subscriber.disconnect();
      await queues.close();
      redis.disconnect();
    },
  };
}

export async function startCallerRuntime(config: Config, log: Logger, options: { lane?: string | null; provider?: TelephonyProvider; concurrency?: number } & WindowOptions = {}): Promise<Runtime & { processor: CallProcessor; worker: Worker }> {
  const redis = workerRedis();
  const state = new EngineState(redis, config.QUEUE_PREFIX);
  const store = new DispatchStore(pgPool());
  const provider = options.provider ?? createProvider(config, redis);
  const lane = options.lane ?? null;
  const concurrency = options.concurrency ?? config.CALLER_CONCURRENCY;
  const providerMaxCps = config.PROVIDER_MAX_CPS ?? (config.TELEPHONY_PROVIDER === "twilio" ? 1 : null);
  const tenantCps = cachedTenantCps();
  const processor = new CallProcessor({ store, provider, cps: new CpsLimiter(redis, config.QUEUE_PREFIX), tenantMaxCps: tenantCps, providerMaxCps, allowedCountries: config.ALLOWED_COUNTRIES, log, metrics: new EngineMetrics(redis, config.QUEUE_PREFIX), rules: rulesCache(store, options.rules), clock: options.clock });
  const worker = new Worker<CallJobData>(lane ? laneQueue(lane) : CALLS_QUEUE, (job, token) => processor.process(job, token), {
    connection: workerRedis(),
    prefix: config.QUEUE_PREFIX,
    concurrency,
    lockDuration: config.CALLER_LOCK_MS,
    stalledInterval: Math.max(1000, Math.floor(config.CALLER_LOCK_MS / 2)),
    maxStalledCount: 3,
  });
  worker.on("failed", (job, err) => log.error({ err, attemptId: job?.data.attemptId, tenantId: job?.data.tenantId }, "call job failed"));
  worker.on("error", (err) => log.error({ err }, "caller error"));
  await worker.waitUntilReady();
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 6)}`;
  const info = { id, concurrency, lane, host: hostname(), pid: process.pid, startedAt: Date.now(), heartbeatAt: Date.now() };
  await state.heartbeatCaller(info);
  const heartbeat = setInterval(() => void state.heartbeatCaller(info).catch(() => undefined), 2000);

  return {
    processor,
    worker,
    async stop() {
      clearInterval(heartbeat);
      await worker.close();
      await processor.drain();
      await state.removeCaller(id).catch(() => undefined);
      redis.disconnect();
    },
  };
}

function rulesCache(store: DispatchStore, fixed: CountryRules | undefined) {
  return fixed ? CountryRulesCache.fixed(fixed) : new CountryRulesCache(() => store.callingRules());
}

/** Tenants' calls-per-second limits, cached for a second so each job doesn't read the tenant row. */
function cachedTenantCps() {
  const cache = new Map<string, { value: number | null; at: number }>();
  return async (tenantId: string) => {
    const hit = cache.get(tenantId);
    if (hit && Date.now() - hit.at < 1000) return hit.value;
    const { rows } = await pgPool().query(`SELECT "maxCps" FROM "Tenant" WHERE id = $1`, [tenantId]);
    const value = (rows[0]?.maxCps as number | null) ?? null;
    cache.set(tenantId, { value, at: Date.now() });
    return value;
  };
}
