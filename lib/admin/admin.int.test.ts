import { describe, expect, it, vi } from "vitest";
import { Redis } from "ioredis";
import { env } from "../env";
import { EngineMetrics } from "../dispatch/metrics";
import { NotFoundError } from "../errors";
import { createTenant } from "../test/factories";
import { listAudit } from "./audit";
import { changeTenantLimits, changeTenantPaused } from "./mutations";

vi.hoisted(() => {
  process.env.METRICS_TOKEN = "metrics-secret-token";
});

const { GET: metrics } = await import("../../app/api/metrics/route");
const actor = { id: "admin-user", email: "ops@fairdial.test" };

describe("admin changes are audited", () => {
  it("writes who, what, before and after with the change itself", async () => {
    const tenant = await createTenant({ weight: 1 });
    await changeTenantLimits(actor, tenant.id, { weight: 3, maxConcurrent: 10, maxCps: null });
    await changeTenantPaused(actor, tenant.id, true);
    const rows = (await listAudit(200)).filter((r) => r.tenantId === tenant.id);
    expect(rows.map((r) => r.action)).toEqual(["tenant.pause", "tenant.limits"]);
    expect(rows[1]).toMatchObject({ actorEmail: "ops@fairdial.test", before: { weight: 1, maxConcurrent: null, maxCps: null }, after: { weight: 3, maxConcurrent: 10, maxCps: null }, tenantName: tenant.name });
    expect(rows[0]).toMatchObject({ before: { paused: false }, after: { paused: true } });
  });

  it("a change to an unknown tenant is refused and leaves no audit row", async () => {
    const before = (await listAudit(500)).length;
    await expect(changeTenantLimits(actor, "no-such-tenant", { weight: 2, maxConcurrent: null, maxCps: null })).rejects.toThrow(NotFoundError);
    expect((await listAudit(500)).length).toBe(before);
  });
});

describe("GET /api/metrics", () => {
  const call = (token?: string) => metrics(new Request("http://test/api/metrics", { headers: token ? { authorization: `Bearer ${token}` } : {} }));

  it("needs the token", async () => {
    expect((await call()).status).toBe(401);
    expect((await call("wrong-token-of-same-size")).status).toBe(401);
  });

  it("exposes dispatches, outcomes, the tick histogram, queue depth and calls in flight", async () => {
    const redis = new Redis(env().REDIS_URL);
    const engine = new EngineMetrics(redis, env().QUEUE_PREFIX);
    const tenant = await createTenant();
    await engine.recordDispatches({ [tenant.id]: 7 });
    await engine.recordOutcomes([{ tenantId: tenant.id, outcome: "COMPLETED" }, { tenantId: tenant.id, outcome: "BUSY" }, { tenantId: tenant.id, outcome: "COMPLETED" }]);
    await engine.recordTick(3);
    await engine.recordTick(40);
    redis.disconnect();
    const res = await call("metrics-secret-token");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(new RegExp(`fairdial_dispatches_total\\{tenant="${tenant.id}"\\} 7`));
    expect(text).toMatch(new RegExp(`fairdial_call_outcomes_total\\{tenant="${tenant.id}",outcome="completed"\\} 2`));
    // The tick histogram is platform-wide (shared Redis), so other runs' ticks may be in it too: at least ours are.
    expect(Number(/fairdial_scheduler_tick_seconds_bucket\{le="0.005"\} (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/fairdial_scheduler_tick_seconds_count (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(2);
    expect(text).toContain("fairdial_queue_depth");
    expect(text).toContain("# TYPE fairdial_calls_in_flight gauge");
  });

  it("exposes dials in doubt and possible double dials, which an operator alerts on", async () => {
    const redis = new Redis(env().REDIS_URL);
    const engine = new EngineMetrics(redis, env().QUEUE_PREFIX);
    const before = (await engine.read()).events.possible_double_dial;
    await engine.recordEvent("possible_double_dial");
    redis.disconnect();
    const text = await (await call("metrics-secret-token")).text();
    expect(Number(/fairdial_engine_events_total\{event="possible_double_dial"\} (\d+)/.exec(text)?.[1])).toBe(before + 1);
    expect(text).toMatch(/# TYPE fairdial_dials_in_doubt gauge\nfairdial_dials_in_doubt \d+/);
  });
});
