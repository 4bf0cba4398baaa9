// What the tenant's pages say about a dedicated lane: unserved only when no live caller serves it.
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { EngineState } from "../dispatch/engine-state";
import { env } from "../env";
import { createTenant, uniqueId } from "../test/factories";
import { laneUnserved } from "./lane-status";

const redis = new Redis(env().REDIS_URL, { maxRetriesPerRequest: null });
const queuePrefix = uniqueId("lane-status");
const state = new EngineState(redis, queuePrefix);

afterAll(() => redis.disconnect());

function caller(lane: string | null) {
  return { id: uniqueId("caller"), concurrency: 2, lane, host: "test", pid: 1, startedAt: Date.now(), heartbeatAt: Date.now() };
}

describe("laneUnserved", () => {
  it("is false for a tenant on the shared queue, even with no caller at all", async () => {
    const t = await createTenant();
    expect(await laneUnserved(t.id, { redis, queuePrefix })).toBe(false);
  });

  it("is true for a lane tenant until a caller for its lane heartbeats; shared and other lanes' callers do not count", async () => {
    const t = await createTenant();
    await db.tenant.update({ where: { id: t.id }, data: { dedicatedLane: true } });
    await state.heartbeatCaller(caller(null));
    await state.heartbeatCaller(caller("some-other-tenant"));
    expect(await laneUnserved(t.id, { redis, queuePrefix })).toBe(true);
    const mine = caller(t.id);
    await state.heartbeatCaller(mine);
    expect(await laneUnserved(t.id, { redis, queuePrefix })).toBe(false);
    await state.removeCaller(mine.id);
    expect(await laneUnserved(t.id, { redis, queuePrefix })).toBe(true);
  });

  it("says nothing (false) rather than failing the page when Redis cannot be reached", async () => {
    const t = await createTenant();
    await db.tenant.update({ where: { id: t.id }, data: { dedicatedLane: true } });
    const down = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on("error", () => undefined);
    const startedAt = Date.now();
    expect(await laneUnserved(t.id, { redis: down, queuePrefix })).toBe(false);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    down.disconnect();
  });
});
