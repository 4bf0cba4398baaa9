// Prometheus exposition of the engine's series. Counters live in Redis (written by every worker process);
// gauges are read from Postgres and BullMQ at scrape time.
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { env } from "../env";
import { EngineMetrics } from "../dispatch/metrics";
import { pgPool } from "../pg";
import { redis } from "../redis";
import { engineOverview } from "./overview";

export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const registry = new Registry();
  const engine = new EngineMetrics(redis(), env().QUEUE_PREFIX);
  const [series, overview, inFlight, ttfc] = await Promise.all([
    engine.read(),
    engineOverview(),
    pgPool().query(`SELECT "tenantId", count(*)::int AS n FROM "Lead" WHERE status IN ('QUEUED', 'DIALING') GROUP BY 1`),
    pgPool().query(`SELECT DISTINCT ON ("tenantId") "tenantId", extract(epoch FROM "firstDialAt" - "startedAt")::float AS seconds
                    FROM "Campaign" WHERE "firstDialAt" IS NOT NULL AND "startedAt" IS NOT NULL ORDER BY "tenantId", "startedAt" DESC`),
  ]);

  const dispatches = new Counter({ name: "fairdial_dispatches_total", help: "Calls published to the queue, by tenant", labelNames: ["tenant"], registers: [registry] });
  for (const d of series.dispatches) dispatches.inc({ tenant: d.tenantId }, d.count);
  const outcomes = new Counter({ name: "fairdial_call_outcomes_total", help: "Finished call attempts by tenant and outcome", labelNames: ["tenant", "outcome"], registers: [registry] });
  for (const o of series.outcomes) outcomes.inc({ tenant: o.tenantId, outcome: o.outcome.toLowerCase() }, o.count);

  const events = new Counter({
    name: "fairdial_engine_events_total",
    help: "Events worth an alert: in_doubt dials, possible_double_dial callbacks (a CallSid that is not the attempt's), lookup_error, assumed_outcome(_replaced)",
    labelNames: ["event"],
    registers: [registry],
  });
  for (const [event, n] of Object.entries(series.events)) events.inc({ event }, n);
  const inDoubt = await pgPool().query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "inDoubtSince" IS NOT NULL AND outcome IS NULL`);
  new Gauge({ name: "fairdial_dials_in_doubt", help: "Dial requests whose fate the provider has not told yet", registers: [registry] }).set(inDoubt.rows[0].n);

  // prom-client cannot load a histogram from elsewhere, so its unlabelled series is rebuilt from the Redis
  // buckets (stored cumulative, prom-client keeps per-bucket counts and accumulates on output).
  const tick = new Histogram({ name: "fairdial_scheduler_tick_seconds", help: "Scheduler tick duration", buckets: series.tick.buckets.map((b) => b.le), registers: [registry] });
  const hashMap = (tick as unknown as { hashMap: Record<string, { bucketValues: Record<number, number>; sum: number; count: number; labels: object }> }).hashMap;
  const perBucket = series.tick.buckets.map((b, i) => [b.le, b.count - (i > 0 ? series.tick.buckets[i - 1]!.count : 0)]);
  hashMap[""] = { labels: {}, sum: series.tick.sum, count: series.tick.count, bucketValues: Object.fromEntries(perBucket) };

  new Gauge({ name: "fairdial_queue_depth", help: "Jobs waiting in the shared calls queue", registers: [registry] }).set(overview.queue.depth);
  new Gauge({ name: "fairdial_queue_target_depth", help: "Lookahead the scheduler tops the queue up to", registers: [registry] }).set(overview.queue.target);
  new Gauge({ name: "fairdial_callers_online", help: "Caller processes with a recent heartbeat", registers: [registry] }).set(overview.callers.length);
  const flying = new Gauge({ name: "fairdial_calls_in_flight", help: "Calls queued or dialing, by tenant", labelNames: ["tenant"], registers: [registry] });
  for (const r of inFlight.rows) flying.set({ tenant: r.tenantId }, r.n);
  const firstCall = new Gauge({ name: "fairdial_time_to_first_call_seconds", help: "Start to first dial of each tenant's latest started campaign", labelNames: ["tenant"], registers: [registry] });
  for (const r of ttfc.rows) firstCall.set({ tenant: r.tenantId }, r.seconds);
  return { body: await registry.metrics(), contentType: registry.contentType };
}
