// The engine's exactly-once statements, against the real Postgres: caps hold inside the claim however claims
// interleave, a superseded leader claims nothing, a dial in doubt is never released or claimed again, and
// status callbacks (late, duplicated, out of order, for the wrong call) end an attempt once, with the
// provider's own times.
import { randomUUID } from "node:crypto";
import pino from "pino";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { changeCampaignStatus } from "../campaigns/mutations";
import { db } from "../db";
import { env } from "../env";
import { pgPool } from "../pg";
import { redis } from "../redis";
import type { TelephonyProvider } from "../telephony/provider";
import { createTenant } from "../test/factories";
import { leadStatusCounts, seedCampaign, waitFor } from "../test/engine-harness";
import { LeaderLease } from "./leader";
import { EngineMetrics } from "./metrics";
import { finishWithOutcome } from "./outcomes";
import { reconcile } from "./reconcile";
import { queueFactory } from "./runtime";
import { recordTwilioStatus } from "./provider-callbacks";
import { attemptContext, beginEngineTransaction, DispatchStore } from "./store";

const store = new DispatchStore(pgPool());
const started: { tenantId: string; id: string }[] = [];

beforeAll(async () => {
  // No scheduler runs in this file, but another file's leftovers must not be claimed by ours or vice versa.
  await pgPool().query(`UPDATE "Campaign" SET status = 'CANCELLED' WHERE status IN ('RUNNING', 'PAUSED')`);
});

afterEach(async () => {
  for (const c of started.splice(0)) await changeCampaignStatus(c.tenantId, c.id, "cancel").catch(() => undefined);
});

async function running(leads: number, tenant: { maxConcurrent?: number | null } = {}, options: { maxAttempts?: number } = {}) {
  const t = await createTenant({ maxConcurrent: tenant.maxConcurrent ?? null });
  const id = await seedCampaign(t.id, leads, { maxAttempts: options.maxAttempts ?? 1, retryDelaySec: 0 });
  await changeCampaignStatus(t.id, id, "start");
  started.push({ tenantId: t.id, id });
  return { tenantId: t.id, campaignId: id };
}

/** One claimed and requested attempt, as a caller leaves it right before the provider request. */
async function requestedAttempt(options: { maxAttempts?: number } = {}) {
  const c = await running(1, {}, options);
  const [claimed] = await store.claim([{ campaignId: c.campaignId, n: 1 }]);
  expect(await store.claimDials([claimed!.attemptId])).toEqual(new Set([claimed!.attemptId]));
  return { ...c, ...claimed! };
}

async function attempt(id: string) {
  return db.callAttempt.findUnique({ where: { id } });
}

describe("caps are enforced inside the claim", () => {
  it("twenty claims racing for one capped tenant across two campaigns queue no more than its cap", async () => {
    const a = await running(100, { maxConcurrent: 7 });
    const second = await seedCampaign(a.tenantId, 100, { maxAttempts: 1 });
    await changeCampaignStatus(a.tenantId, second, "start");
    started.push({ tenantId: a.tenantId, id: second });

    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.claim([{ campaignId: i % 2 ? a.campaignId : second, n: 5 }, { campaignId: i % 2 ? second : a.campaignId, n: 5 }])),
    );
    expect(claims.flat()).toHaveLength(7);
    const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "Lead" WHERE "tenantId" = $1 AND status IN ('QUEUED', 'DIALING')`, [a.tenantId]);
    expect(rows[0].n).toBe(7);
    // Room comes back as calls end, and only that much.
    await store.releaseUndialed(claims.flat().slice(0, 3).map((c) => c.attemptId));
    expect(await store.claim([{ campaignId: a.campaignId, n: 50 }])).toHaveLength(3);
  });

  it("an uncapped tenant's claim takes what it asks for", async () => {
    const c = await running(30);
    expect(await store.claim([{ campaignId: c.campaignId, n: 25 }])).toHaveLength(25);
  });
});

describe("the leader's lease fences its claims", () => {
  it("a leader frozen inside a claim (the lease row share-locked) delays a standby's takeover by seconds, not until it wakes", { timeout: 60_000 }, async () => {
    const name = `test-${randomUUID()}:scheduler`;
    const old = new LeaderLease(pgPool(), name, "old", { ttlMs: 1500, renewEveryMs: 500 });
    expect(await old.acquireOrRenew()).toBe(true);
    const fence = old.fence()!;
    // What claim() does first; then the process freezes and sends nothing more.
    const frozen = await pgPool().connect();
    frozen.on("error", () => undefined);
    await beginEngineTransaction(frozen);
    await frozen.query(`SELECT 1 FROM "SchedulerLease" WHERE name = $1 AND holder = $2 AND epoch = $3 FOR SHARE`, [fence.name, fence.holder, fence.epoch]);
    const standby = new LeaderLease(pgPool(), name, "standby", { ttlMs: 1500, renewEveryMs: 500 });
    // With the pools' 1 min idle limit the takeover waited for the frozen claim's lock that long.
    await waitFor("the standby to take over while the old leader is still frozen", () => standby.acquireOrRenew(), 20_000, 200);
    // The frozen claim was ended by Postgres: when the process wakes, its transaction is gone, nothing commits late.
    await expect(frozen.query("SELECT 1")).rejects.toThrow();
    frozen.release(true);
    expect(await old.acquireOrRenew()).toBe(false);
  });

  it("a leader frozen past its lease claims nothing after a standby took over, and learns it has lost", async () => {
    const name = `test-${randomUUID()}:scheduler`;
    const old = new LeaderLease(pgPool(), name, "old", { ttlMs: 60_000, renewEveryMs: 20_000 });
    const standby = new LeaderLease(pgPool(), name, "standby", { ttlMs: 60_000, renewEveryMs: 20_000 });
    expect(await old.acquireOrRenew()).toBe(true);
    const oldFence = old.fence()!;
    expect(await standby.acquireOrRenew()).toBe(false);

    // The old leader stops renewing (SIGSTOP, a long GC pause): its lease runs out and the standby takes it.
    await pgPool().query(`UPDATE "SchedulerLease" SET "expiresAt" = localtimestamp - interval '1 second' WHERE name = $1`, [name]);
    expect(await standby.acquireOrRenew()).toBe(true);
    expect(standby.fence()!.epoch).toBe(oldFence.epoch + 1);

    const c = await running(10);
    expect(await store.claim([{ campaignId: c.campaignId, n: 5 }], oldFence)).toEqual([]);
    expect(await store.claim([{ campaignId: c.campaignId, n: 5 }], standby.fence()!)).toHaveLength(5);
    // Woken up, the old one cannot renew a lease that is no longer its own.
    expect(await old.acquireOrRenew()).toBe(false);
    expect(old.fence()).toBeNull();
    await standby.release();
  });
});

describe("a dial in doubt", () => {
  it("is never released, never claimed again, and keeps its lead dialing (counted against the cap)", async () => {
    const a = await requestedAttempt();
    await store.markInDoubt(a.attemptId, "Twilio did not answer within 15000 ms; the call may have been placed");

    expect(await store.releaseUndialed([a.attemptId])).toBe(0);
    expect(await store.claimDials([a.attemptId])).toEqual(new Set());
    const row = await attempt(a.attemptId);
    expect(row).toMatchObject({ outcome: null, inDoubtSince: expect.any(Date), requestedAt: expect.any(Date) });
    expect(await leadStatusCounts(a.campaignId)).toEqual({ DIALING: 1 });
    // The campaign cannot complete while the call may be live.
    expect(await store.completeFinished([a.campaignId])).toEqual([]);
  });

  it("is settled by the provider's callback: the call exists, then it ends with the provider's times", async () => {
    const a = await requestedAttempt();
    await store.markInDoubt(a.attemptId, "timeout");
    const sid = `CA${randomUUID().replaceAll("-", "")}`;

    expect(await recordTwilioStatus(status(a.attemptId, sid, "ringing", 2, "Tue, 01 Dec 2026 10:00:02 +0000"))).toBe("in-progress");
    expect(await attempt(a.attemptId)).toMatchObject({ inDoubtSince: null, providerCallId: sid, providerStatus: "ringing" });

    expect(await recordTwilioStatus(status(a.attemptId, sid, "completed", 4, "Tue, 01 Dec 2026 10:00:40 +0000", 30))).toBe("recorded");
    const row = await attempt(a.attemptId);
    expect(row).toMatchObject({ outcome: "COMPLETED", providerStatus: "completed" });
    expect(row!.endedAt!.toISOString()).toBe("2026-12-01T10:00:40.000Z");
    expect(row!.answeredAt!.toISOString()).toBe("2026-12-01T10:00:10.000Z");
    expect(await leadStatusCounts(a.campaignId)).toEqual({ COMPLETED: 1 });
  });
});

describe("status callbacks arrive late, twice and out of order", () => {
  it("a ringing after completed changes nothing, and a duplicate completed is already final", async () => {
    const a = await requestedAttempt();
    const sid = `CA${randomUUID().replaceAll("-", "")}`;
    await store.recordPlaced(a.attemptId, sid);
    expect(await recordTwilioStatus(status(a.attemptId, sid, "no-answer", 5, "Tue, 01 Dec 2026 10:01:00 +0000"))).toBe("recorded");
    expect(await recordTwilioStatus(status(a.attemptId, sid, "ringing", 2, "Tue, 01 Dec 2026 10:00:20 +0000"))).toBe("already-final");
    expect(await recordTwilioStatus(status(a.attemptId, sid, "no-answer", 5, "Tue, 01 Dec 2026 10:01:00 +0000"))).toBe("already-final");
    expect(await attempt(a.attemptId)).toMatchObject({ outcome: "NO_ANSWER", providerStatus: "no-answer", providerSeq: 5 });
    expect(await leadStatusCounts(a.campaignId)).toEqual({ NO_ANSWER: 1 });
  });

  it("an older progress event never overwrites a newer one", async () => {
    const a = await requestedAttempt();
    const sid = `CA${randomUUID().replaceAll("-", "")}`;
    await recordTwilioStatus(status(a.attemptId, sid, "in-progress", 3, "Tue, 01 Dec 2026 10:00:05 +0000"));
    await recordTwilioStatus(status(a.attemptId, sid, "ringing", 2, "Tue, 01 Dec 2026 10:00:03 +0000"));
    expect(await attempt(a.attemptId)).toMatchObject({ providerStatus: "in-progress", providerSeq: 3 });
    expect((await attempt(a.attemptId))!.answeredAt!.toISOString()).toBe("2026-12-01T10:00:05.000Z");
  });

  it("a callback for another CallSid than the attempt's is a possible double dial: counted, nothing overwritten", async () => {
    const a = await requestedAttempt();
    const sid = `CA${randomUUID().replaceAll("-", "")}`;
    await store.recordPlaced(a.attemptId, sid);
    const metrics = new EngineMetrics(redis(), env().QUEUE_PREFIX);
    const before = (await metrics.read()).events.possible_double_dial;
    expect(await recordTwilioStatus(status(a.attemptId, `CA${"f".repeat(32)}`, "completed", 4, "Tue, 01 Dec 2026 10:00:40 +0000", 12))).toBe("possible-double-dial");
    expect((await metrics.read()).events.possible_double_dial).toBe(before + 1);
    expect(await attempt(a.attemptId)).toMatchObject({ outcome: null, providerCallId: sid });
  });

  it("the real outcome replaces one fairdial only assumed", async () => {
    const a = await requestedAttempt();
    const ctx = (await attemptContext(pgPool(), a.attemptId))!;
    await store.finishAttempts([{ ...finishWithOutcome(ctx, "PROVIDER_ERROR", { answeredAt: null, endedAt: new Date(), durationSec: null, providerCallId: null }), leadStatus: "FAILED", nextAttemptAt: null, assumed: true }]);
    expect(await leadStatusCounts(a.campaignId)).toEqual({ FAILED: 1 });

    const sid = `CA${randomUUID().replaceAll("-", "")}`;
    expect(await recordTwilioStatus(status(a.attemptId, sid, "completed", 4, "Tue, 01 Dec 2026 10:00:40 +0000", 25))).toBe("replaced-assumed");
    expect(await attempt(a.attemptId)).toMatchObject({ outcome: "COMPLETED", outcomeAssumed: false, providerCallId: sid });
    expect(await leadStatusCounts(a.campaignId)).toEqual({ COMPLETED: 1 });
  });
});

describe("frequency caps hold inside the dial claim", () => {
  it("a call to the number requested after the load took the last room under the cap: the second dial is refused", async () => {
    const x = await running(1);
    await pgPool().query(`UPDATE "Tenant" SET "callsPer24h" = 1 WHERE id = $1`, [x.tenantId]);
    const y = await seedCampaign(x.tenantId, 1, { maxAttempts: 1 });
    await pgPool().query(`UPDATE "Lead" SET phone = (SELECT phone FROM "Lead" WHERE "campaignId" = $1) WHERE "campaignId" = $2`, [x.campaignId, y]);
    await changeCampaignStatus(x.tenantId, y, "start");
    started.push({ tenantId: x.tenantId, id: y });
    const [first] = await store.claim([{ campaignId: x.campaignId, n: 1 }]);
    const [second] = await store.claim([{ campaignId: y, n: 1 }]);
    // Both callers load before either dials: the number has no call in the last 24 hours yet.
    const loaded = await store.loadAttempts([first!.attemptId, second!.attemptId]);
    expect(loaded.map((a) => a.hold24h)).toEqual([null, null]);

    expect(await store.claimDials([first!.attemptId])).toEqual(new Set([first!.attemptId]));
    const ctx = (await attemptContext(pgPool(), first!.attemptId))!;
    await store.finishAttempts([finishWithOutcome(ctx, "NO_ANSWER", { answeredAt: null, endedAt: new Date(), durationSec: null, providerCallId: null })]);
    // The first call ended (the number is free again) but used the tenant's one call per 24 hours.
    expect(await store.claimDials([second!.attemptId])).toEqual(new Set());
    expect((await store.loadAttempts([second!.attemptId]))[0]!.hold24h).toBeInstanceOf(Date);
  });
});

describe("the reconciler", () => {
  it("puts the number on the tenant's do-not-call list when the call its lookup finds ended with an opt-out", async () => {
    const a = await requestedAttempt();
    // Its callbacks were lost: the lead went quiet, and the reconciler asks the provider.
    await pgPool().query(`UPDATE "Lead" SET "updatedAt" = now() - interval '1 hour' WHERE id = $1`, [a.leadId]);
    const endedAt = new Date();
    const provider = {
      lookup: async ({ attemptId }: { attemptId: string }) => ({ kind: "finished", providerCallId: `CA${attemptId.replaceAll("-", "")}`, outcome: "COMPLETED", dialedAt: endedAt, answeredAt: endedAt, endedAt, durationSec: 12, optOut: attemptId === a.attemptId }),
    } as unknown as TelephonyProvider;
    const queues = queueFactory(`reconcile-${randomUUID().slice(0, 8)}`, redis());
    try {
      await reconcile({ store, provider, queueFor: () => queues.shared(), log: pino({ level: "silent" }) }, 30 * 60_000);
    } finally {
      await queues.close();
    }
    expect(await attempt(a.attemptId)).toMatchObject({ outcome: "COMPLETED" });
    const { phone } = await db.lead.findUniqueOrThrow({ where: { id: BigInt(a.leadId) } });
    expect(await db.suppressedNumber.findFirst({ where: { tenantId: a.tenantId, phone } })).toMatchObject({ source: "OPT_OUT" });
  });
});

describe("cancel and pending counters", () => {
  it("a call that ends with a retryable outcome after its campaign was cancelled ends CANCELLED, not SCHEDULED", async () => {
    const a = await requestedAttempt({ maxAttempts: 3 });
    await changeCampaignStatus(a.tenantId, a.campaignId, "cancel");
    const ctx = (await attemptContext(pgPool(), a.attemptId))!;
    const finish = finishWithOutcome(ctx, "NO_ANSWER", { answeredAt: null, endedAt: new Date(), durationSec: null, providerCallId: null });
    expect(finish.leadStatus).toBe("SCHEDULED");
    await store.finishAttempts([finish]);
    expect(await leadStatusCounts(a.campaignId)).toEqual({ CANCELLED: 1 });
    expect(await db.lead.findFirst({ where: { campaignId: a.campaignId } })).toMatchObject({ nextAttemptAt: null, lastOutcome: "NO_ANSWER" });
  });

  it("due retries of a paused campaign wait for its resume", async () => {
    const c = await running(3, {}, { maxAttempts: 3 });
    await pgPool().query(`UPDATE "Lead" SET status = 'SCHEDULED', "nextAttemptAt" = now() - interval '1 minute' WHERE "campaignId" = $1`, [c.campaignId]);
    await changeCampaignStatus(c.tenantId, c.campaignId, "pause");
    await store.releaseDueRetries();
    expect(await leadStatusCounts(c.campaignId)).toEqual({ SCHEDULED: 3 });
    await changeCampaignStatus(c.tenantId, c.campaignId, "resume");
    await store.releaseDueRetries();
    expect(await leadStatusCounts(c.campaignId)).toEqual({ PENDING: 3 });
    expect((await db.campaign.findUniqueOrThrow({ where: { id: c.campaignId } })).pendingCount).toBe(3);
  });

  it("a running campaign whose counter says 0 while leads are pending is recounted, not left running forever", async () => {
    const c = await running(12);
    await pgPool().query(`UPDATE "Campaign" SET "pendingCount" = 0 WHERE id = $1`, [c.campaignId]);
    expect(await store.healStuckCounters()).toContain(c.campaignId);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: c.campaignId } })).pendingCount).toBe(12);
  });
});

function status(attemptId: string, callSid: string, callStatus: string, sequence: number, timestamp: string, durationSec: number | null = null) {
  return { attemptId, callSid, callStatus, answeredBy: null, durationSec, sequence, timestamp: new Date(Date.parse(timestamp)) };
}
