// Engine counters live in Redis so that every worker process adds to the same series and the web app's
// /api/metrics can expose them (Prometheus scrapes the web app, not each caller).
import type { Redis } from "ioredis";

export const ENGINE_EVENTS = ["in_doubt", "possible_double_dial", "lookup_error", "assumed_outcome", "assumed_outcome_replaced"] as const;
export type EngineEvent = (typeof ENGINE_EVENTS)[number];

export const TICK_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export class EngineMetrics {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private k(name: string) {
    return `${this.prefix}:metrics:${name}`;
  }

  async recordTick(durationMs: number) {
    const multi = this.redis.multi();
    for (const le of TICK_BUCKETS_MS) if (durationMs <= le) multi.hincrby(this.k("tick"), `le:${le}`, 1);
    multi.hincrby(this.k("tick"), "count", 1);
    multi.hincrbyfloat(this.k("tick"), "sum", durationMs / 1000);
    await multi.exec();
  }

  async recordDispatches(perTenant: Record<string, number>) {
    const entries = Object.entries(perTenant).filter(([, n]) => n > 0);
    if (entries.length === 0) return;
    const multi = this.redis.multi();
    for (const [tenantId, n] of entries) multi.hincrby(this.k("dispatches"), tenantId, n);
    await multi.exec();
  }

  async recordOutcomes(items: { tenantId: string; outcome: string }[]) {
    if (items.length === 0) return;
    const counts = new Map<string, number>();
    for (const i of items) counts.set(`${i.tenantId}|${i.outcome}`, (counts.get(`${i.tenantId}|${i.outcome}`) ?? 0) + 1);
    const multi = this.redis.multi();
    for (const [field, n] of counts) multi.hincrby(this.k("outcomes"), field, n);
    await multi.exec();
  }

  /** Counts an engine event worth alerting on: "in_doubt" dials, "possible_double_dial" callbacks, failed "lookup_error"s. */
  async recordEvent(name: EngineEvent, n = 1) {
    await this.redis.hincrby(this.k("events"), name, n);
  }

  async read() {
    const [tick, dispatches, outcomes, events] = await Promise.all([
      this.redis.hgetall(this.k("tick")),
      this.redis.hgetall(this.k("dispatches")),
      this.redis.hgetall(this.k("outcomes")),
      this.redis.hgetall(this.k("events")),
    ]);
    return {
      tick: {
        buckets: TICK_BUCKETS_MS.map((le) => ({ le: le / 1000, count: Number(tick[`le:${le}`] ?? 0) })),
        count: Number(tick.count ?? 0),
        sum: Number(tick.sum ?? 0),
      },
      dispatches: Object.entries(dispatches).map(([tenantId, n]) => ({ tenantId, count: Number(n) })),
      events: Object.fromEntries(ENGINE_EVENTS.map((e) => [e, Number(events[e] ?? 0)])) as Record<EngineEvent, number>,
      outcomes: Object.entries(outcomes).map(([field, n]) => {
        const [tenantId, outcome] = field.split("|");
        return { tenantId: tenantId!, outcome: outcome!, count: Number(n) };
      }),
    };
  }
}
