// Campaign lifecycle changes racing the dispatch engine's own statements (no engine running: the store's real
// claim and release statements are driven directly), and pause/cancel taking back the calls still queued.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { DispatchStore, type Claimed } from "../dispatch/store";
import { withdrawQueued } from "../dispatch/withdraw";
import { env } from "../env";
import { pgPool } from "../pg";
import { CALLS_QUEUE } from "../queue/names";
import { seedCampaign } from "../test/engine-harness";
import { createTenant, uniqueId } from "../test/factories";
import { changeCampaignStatus } from "./mutations";

const store = new DispatchStore(pgPool());
const redis = new Redis(env().REDIS_URL, { maxRetriesPerRequest: null });
const prefix = uniqueId("withdraw");
const queue = new Queue(CALLS_QUEUE, { connection: redis, prefix });

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
});

describe("pendingCount against the engine's statements", () => {
  it("equals the real number of pending leads after claims and releases raced 100 pause/resume recounts", async () => {
    const t = await createTenant();
    const id = await seedCampaign(t.id, 300);
    await changeCampaignStatus(t.id, id, "start");
    let stop = false;
    // Each worker claims a few leads (while running), holds them a moment and releases them, as callers do with
    // jobs of a paused campaign: every claim lowers the counter and every release raises it, in one statement.
    const churn = async () => {
      while (!stop) {
        const claimed = await store.claim([{ campaignId: id, n: 1 + rand(12) }]);
        await sleep(rand(4));
        await store.releaseUndialed(claimed.map((c) => c.attemptId));
        if (claimed.length === 0) await sleep(1);
      }
    };
    const workers = Array.from({ length: 6 }, churn);
    for (let i = 0; i < 100; i++) {
      if (i % 2 === 0) {
        await changeCampaignStatus(t.id, id, "pause");
      } else {
        // A pause whose withdrawal reached none of the queued calls (their jobs were already with callers):
        // the releases then land while the resume below recounts.
        await pgPool().query(`UPDATE "Campaign" SET status = 'PAUSED' WHERE id = $1`, [id]);
      }
      await sleep(rand(3));
      await changeCampaignStatus(t.id, id, "resume");
      await sleep(rand(3));
    }
    stop = true;
    await Promise.all(workers);

    const { pendingCount, real, attempts, notPending } = await counts(id);
    expect(pendingCount).toBe(real);
    // Everything was released again: no attempt row is left and every attempt number was given back.
    expect(real).toBe(300);
    expect(attempts).toBe(0);
    expect(notPending).toBe(0);
  });
});

describe("pause and cancel withdraw the campaign's waiting calls", () => {
  it("pause deletes the never-requested attempts, returns their leads to pending and removes their jobs; requested calls and other tenants' jobs stay", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const id = await seedCampaign(t.id, 50);
    const otherId = await seedCampaign(other.id, 10);
    await changeCampaignStatus(t.id, id, "start");
    await changeCampaignStatus(other.id, otherId, "start");
    const claimed = await store.claim([{ campaignId: id, n: 20 }, { campaignId: otherId, n: 10 }]);
    const mine = claimed.filter((c) => c.campaignId === id);
    const theirs = claimed.filter((c) => c.campaignId === otherId);
    await publish([...mine, ...theirs]);
    // Five calls a caller has already claimed (requested from the provider): they must be left alone.
    const requested = mine.slice(0, 5).map((c) => c.attemptId);
    await markRequested(requested);

    await changeCampaignStatus(t.id, id, "pause", { queuePrefix: prefix });

    const attempts = await attemptIds(id);
    expect(attempts.sort()).toEqual([...requested].sort());
    const { pendingCount, real, byStatus } = await counts(id);
    expect(byStatus).toEqual({ PENDING: 45, DIALING: 5 });
    expect(pendingCount).toBe(real);
    const { rows: numbers } = await pgPool().query(`SELECT attempts, count(*)::int AS n FROM "Lead" WHERE "campaignId" = $1 GROUP BY 1 ORDER BY 1`, [id]);
    expect(numbers).toEqual([{ attempts: 0, n: 45 }, { attempts: 1, n: 5 }]); // attempt numbers given back
    const jobs = await jobIdsInQueue();
    for (const c of mine.slice(5)) expect(jobs.has(c.attemptId)).toBe(false);
    for (const id of requested) expect(jobs.has(id)).toBe(true);
    for (const c of theirs) expect(jobs.has(c.attemptId)).toBe(true);
    expect(await attemptIds(otherId)).toHaveLength(10);

    // Resume: the released leads are dispatchable again, and counted.
    const resumed = await changeCampaignStatus(t.id, id, "resume", { queuePrefix: prefix });
    expect(resumed.pendingCount).toBe(45);
    expect((await store.claim([{ campaignId: id, n: 100 }])).length).toBe(45);
  });

  it("cancel leaves no pending, scheduled or queued lead: queued ones are cancelled with their attempt and job gone", async () => {
    const t = await createTenant();
    const id = await seedCampaign(t.id, 40);
    await changeCampaignStatus(t.id, id, "start");
    const claimed = await store.claim([{ campaignId: id, n: 15 }]);
    await publish(claimed);
    const requested = claimed.slice(0, 3).map((c) => c.attemptId);
    await markRequested(requested);
    await pgPool().query(`UPDATE "Lead" SET status = 'SCHEDULED', "nextAttemptAt" = now() + interval '1 hour' WHERE id = ANY(SELECT id FROM "Lead" WHERE "campaignId" = $1 AND status = 'PENDING' LIMIT 5)`, [id]);

    await changeCampaignStatus(t.id, id, "cancel", { queuePrefix: prefix });

    const { byStatus, pendingCount } = await counts(id);
    expect(byStatus).toEqual({ CANCELLED: 37, DIALING: 3 }); // calls already placed finish
    expect(pendingCount).toBe(0);
    expect((await attemptIds(id)).sort()).toEqual([...requested].sort());
    const jobs = await jobIdsInQueue();
    for (const c of claimed.slice(3)) expect(jobs.has(c.attemptId)).toBe(false);
  });

  it("a pause still succeeds and releases the calls in Postgres when Redis cannot be reached", async () => {
    const t = await createTenant();
    const id = await seedCampaign(t.id, 10);
    await changeCampaignStatus(t.id, id, "start");
    const claimed = await store.claim([{ campaignId: id, n: 10 }]);
    await pgPool().query(`UPDATE "Campaign" SET status = 'PAUSED' WHERE id = $1`, [id]);
    const startedAt = Date.now();
    const result = await withdrawQueued({ campaignId: id }, { prefix, connect: () => new Redis("redis://127.0.0.1:1", { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null }) });
    expect(result.attemptIds.sort()).toEqual(claimed.map((c) => c.attemptId).sort());
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect((await counts(id)).byStatus).toEqual({ PENDING: 10 });
  });

  it("a running campaign is not withdrawn from: a resume that got in first keeps its claims", async () => {
    const t = await createTenant();
    const id = await seedCampaign(t.id, 10);
    await changeCampaignStatus(t.id, id, "start");
    await store.claim([{ campaignId: id, n: 10 }]);
    expect((await withdrawQueued({ campaignId: id }, { prefix })).attemptIds).toEqual([]);
    expect((await counts(id)).byStatus).toEqual({ QUEUED: 10 });
  });
});

async function counts(campaignId: string) {
  const { rows } = await pgPool().query(
    `SELECT c."pendingCount",
       (SELECT count(*) FROM "Lead" l WHERE l."campaignId" = c.id AND l.status = 'PENDING')::int AS real,
       (SELECT count(*) FROM "Lead" l WHERE l."campaignId" = c.id AND l.status <> 'PENDING')::int AS "notPending",
       (SELECT count(*) FROM "CallAttempt" a WHERE a."campaignId" = c.id)::int AS attempts,
       (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM "Lead" l WHERE l."campaignId" = c.id GROUP BY 1) s) AS "byStatus"
     FROM "Campaign" c WHERE c.id = $1`,
    [campaignId],
  );
  return rows[0] as { pendingCount: number; real: number; notPending: number; attempts: number; byStatus: Record<string, number> };
}

async function attemptIds(campaignId: string) {
  const { rows } = await pgPool().query(`SELECT id FROM "CallAttempt" WHERE "campaignId" = $1`, [campaignId]);
  return rows.map((r) => r.id as string);
}

/** What a caller's dial claim leaves behind: the attempt requested, the lead dialing. */
async function markRequested(ids: string[]) {
  await pgPool().query(
    `WITH a AS (UPDATE "CallAttempt" SET "requestedAt" = now(), "dialedAt" = now() WHERE id = ANY($1::text[]) RETURNING "leadId")
     UPDATE "Lead" l SET status = 'DIALING' FROM a WHERE l.id = a."leadId"`,
    [ids],
  );
}

async function publish(claimed: Claimed[]) {
  await queue.addBulk(claimed.map((c) => ({ name: "call", data: c, opts: { jobId: c.attemptId } })));
}

async function jobIdsInQueue() {
  const jobs = await queue.getJobs(["wait", "delayed", "prioritized"]);
  return new Set(jobs.map((j) => j.id));
}

function rand(n: number) {
  return Math.floor(Math.random() * n);
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
