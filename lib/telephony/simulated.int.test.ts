import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderError, type DialRequest } from "./provider";
import { SIM_PRESETS, SimulatedProvider, sampleCall, type SimOptions } from "./simulated";

// Two connections stand in for two caller processes sharing one Redis.
let redisA: Redis;
let redisB: Redis;
const prefixes: string[] = [];

beforeAll(() => {
  redisA = new Redis(process.env.REDIS_URL!);
  redisB = new Redis(process.env.REDIS_URL!);
});

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redisA.keys(`${prefix}:*`);
    if (keys.length > 0) await redisA.del(...keys);
  }
  redisA.disconnect();
  redisB.disconnect();
});

describe("SimulatedProvider", () => {
  it("places a call, waits it out and records the seeded outcome in the call log", async () => {
    const sim = provider(redisA);
    const req = dial();
    const result = await sim.placeCall(req);

    expect(result).toMatchObject({ kind: "finished", providerCallId: `sim-${req.attemptId}`, outcome: sampleCall(SIM_PRESETS.fast, req.attemptId).outcome });
    if (result.kind !== "finished") throw new Error("expected a finished call");
    expect(result.endedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(result.endedAt.getTime()).toBeGreaterThanOrEqual(result.dialedAt.getTime());
    expect(await sim.dialCount(req.attemptId)).toBe(1);
    expect(await sim.callLog()).toEqual([
      { attemptId: req.attemptId, tenantId: req.tenantId, campaignId: req.campaignId, to: req.to, tries: 1, dials: 1, dialedAt: result.dialedAt, result },
    ]);
  });

  it("returns the recorded result when the same attempt is placed again, without dialing again", async () => {
    const sim = provider(redisA);
    const req = dial();
    const first = await sim.placeCall(req);
    const again = await sim.placeCall(req);
    expect(again).toEqual(first);
    expect(await sim.dialCount(req.attemptId)).toBe(1);
  });

  it("dials each attempt once when two processes race on the same attempts", async () => {
    const prefix = newPrefix();
    const a = new SimulatedProvider(redisA, prefix, SIM_PRESETS.fast);
    const b = new SimulatedProvider(redisB, prefix, SIM_PRESETS.fast);
    const reqs = Array.from({ length: 40 }, () => dial());

    const [fromA, fromB] = await Promise.all([Promise.all(reqs.map((r) => a.placeCall(r))), Promise.all(reqs.map((r) => b.placeCall(r)))]);

    expect(fromB).toEqual(fromA);
    const log = await a.callLog();
    expect(log).toHaveLength(40);
    expect(log.every((entry) => entry.dials === 1 && entry.result !== null)).toBe(true);
  });

  it("reports an attempt as never dialed, then in progress, then finished — from any process", async () => {
    const prefix = newPrefix();
    const slow: SimOptions = { ...SIM_PRESETS.fast, ringMs: { min: 300, max: 300 }, talkMs: { median: 300, sigma: 0, min: 300, max: 300 }, voicemailMs: { min: 300, max: 300 } };
    const caller = new SimulatedProvider(redisA, prefix, slow);
    const observer = new SimulatedProvider(redisB, prefix, slow);
    const req = dial();

    expect(await observer.lookup(query(req))).toEqual({ kind: "not-found" });
    const placing = caller.placeCall(req);
    await waitFor(async () => (await observer.dialCount(req.attemptId)) === 1);
    expect(await observer.lookup(query(req))).toMatchObject({ kind: "pending", providerCallId: `sim-${req.attemptId}` });

    const result = await placing;
    expect(await observer.lookup(query(req))).toEqual(result);
  });

  it("runs calls concurrently for real", async () => {
    const halfSecond: SimOptions = { ...SIM_PRESETS.fast, ringMs: { min: 100, max: 100 }, talkMs: { median: 400, sigma: 0, min: 400, max: 400 }, outcomeRates: { COMPLETED: 1, VOICEMAIL: 0, NO_ANSWER: 0, BUSY: 0, FAILED: 0 } };
    const sim = provider(redisA, halfSecond);
    const results = await Promise.all(Array.from({ length: 100 }, () => sim.placeCall(dial())));
    const finished = results.flatMap((r) => (r.kind === "finished" ? [r] : []));
    // All 100 calls were live at once: the last one was dialed before the first one hung up.
    const lastDial = Math.max(...finished.map((r) => r.dialedAt.getTime()));
    const firstEnd = Math.min(...finished.map((r) => r.endedAt.getTime()));
    expect(finished).toHaveLength(100);
    expect(lastDial).toBeLessThan(firstEnd);
  });

  it("refuses dials with a rate-limit error without placing the call", async () => {
    const sim = provider(redisA, { ...SIM_PRESETS.fast, providerErrorRates: { rateLimited: 1, server: 0 }, retryAfterMs: 250 });
    const req = dial();
    const error = await sim.placeCall(req).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "rate-limited", retryAfterMs: 250, retryable: true });
    expect(await sim.dialCount(req.attemptId)).toBe(0);
    expect(await sim.lookup(query(req))).toEqual({ kind: "not-found" });
  });

  it("lets a retry of a refused attempt through, and dials it once", async () => {
    const sim = provider(redisA, { ...SIM_PRESETS.fast, providerErrorRates: { rateLimited: 0, server: 0.5 } });
    const reqs = Array.from({ length: 20 }, () => dial());
    const refusals = new Map(await Promise.all(reqs.map(async (req) => [req.attemptId, await placeUntilAccepted(sim, req)] as const)));

    expect([...refusals.values()].some((n) => n > 0)).toBe(true);
    for (const entry of await sim.callLog()) {
      expect(entry.dials).toBe(1);
      expect(entry.tries).toBe(refusals.get(entry.attemptId)! + 1);
    }
  });

  it("gives the same outcomes for the same seed in another deployment", async () => {
    const reqs = Array.from({ length: 30 }, () => dial());
    const first = await Promise.all(reqs.map((r) => provider(redisA).placeCall(r)));
    const second = await Promise.all(reqs.map((r) => provider(redisB).placeCall(r)));
    expect(second.map(outcomeOf)).toEqual(first.map(outcomeOf));
  });
});

function provider(redis: Redis, options: SimOptions = SIM_PRESETS.fast) {
  return new SimulatedProvider(redis, newPrefix(), options);
}

function newPrefix() {
  const prefix = `test:${randomUUID()}`;
  prefixes.push(prefix);
  return prefix;
}

function dial(): DialRequest {
  return { attemptId: randomUUID(), tenantId: "tenant-1", campaignId: "campaign-1", to: "+15551230000", variables: {} };
}

async function placeUntilAccepted(sim: SimulatedProvider, req: DialRequest) {
  for (let refused = 0; ; refused++) {
    try {
      await sim.placeCall(req);
      return refused;
    } catch (e) {
      if (!(e instanceof ProviderError) || e.kind !== "server") throw e;
    }
  }
}

async function waitFor(condition: () => Promise<boolean>) {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

function outcomeOf(r: { kind: string; outcome?: string }) {
  return r.kind === "finished" ? r.outcome : r.kind;
}

function query(req: { attemptId: string; to: string }) {
  return { attemptId: req.attemptId, providerCallId: null, to: req.to, requestedAt: null };
}
