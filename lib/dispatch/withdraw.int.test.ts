// Pause and cancel take a campaign's waiting calls back out of the queue, with the real engine running
// (scheduler + callers, simulated provider): pause/resume storms lose no lead and ring none twice, and a
// pause empties the queue of that campaign's jobs while other tenants' jobs stay.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { changeCampaignStatus } from "../campaigns/mutations";
import { db } from "../db";
import { pgPool } from "../pg";
import type { CallJob } from "../queue/schema";
import { createTenant } from "../test/factories";
import { leadStatusCounts, seedCampaign, startEngine, waitFor, type Engine } from "../test/engine-harness";
import { queueFactory } from "./runtime";
import { wakeScheduler } from "./wake";

let engine: Engine | null = null;
let queues: ReturnType<typeof queueFactory> | null = null;
const campaigns: { tenantId: string; id: string }[] = [];

beforeAll(async () => {
  // Campaigns other suites left running would be dispatched by these schedulers too; these tests own the engine.
  await pgPool().query(`UPDATE "Campaign" SET status = 'CANCELLED' WHERE status IN ('RUNNING', 'PAUSED')`);
});

afterEach(async () => {
  await queues?.close();
  queues = null;
  await engine?.stop();
  engine = null;
  for (const c of campaigns.splice(0)) await changeCampaignStatus(c.tenantId, c.id, "cancel").catch(() => undefined);
});

const LEADS = 1000;
const allCompleted = { outcomeRates: { COMPLETED: 1, VOICEMAIL: 0, NO_ANSWER: 0, BUSY: 0, FAILED: 0 } };
const slowCalls = { ...allCompleted, ringMs: { min: 150, max: 250 }, talkMs: { median: 250, sigma: 0.1, min: 200, max: 300 }, voicemailMs: { min: 150, max: 250 } };

describe("pause and resume storms", () => {
  it("pausing and resuming a running campaign 50 times while its queued jobs are released dials every lead exactly once", async () => {
    // A deep lookahead, so each pause has many waiting jobs to take back; enough leads to outlast the storm.
    engine = await startEngine({ concurrency: 6, targetDepth: 60, tickMs: 300, sim: { ...allCompleted, ringMs: { min: 20, max: 40 }, talkMs: { median: 70, sigma: 0.2, min: 50, max: 100 } } });
    const t = await createTenant();
    const id = await campaign(t.id, LEADS);
    await engine.start(t.id, id);
    await waitFor("dialing", async () => (await dialed(id)) >= 10);

    let queuedBeforePauses = 0;
    let queuedAfterPauses = 0;
    let storms = 0;
    for (; storms < 50; storms++) {
      if ((await db.campaign.findUniqueOrThrow({ where: { id } })).status !== "RUNNING") break;
      queuedBeforePauses += (await leadStatusCounts(id)).QUEUED ?? 0;
      await changeCampaignStatus(t.id, id, "pause", { queuePrefix: engine.prefix });
      queuedAfterPauses += (await leadStatusCounts(id)).QUEUED ?? 0;
      await sleep(5 + rand(40));
      await changeCampaignStatus(t.id, id, "resume", { queuePrefix: engine.prefix });
      await sleep(20 + rand(60));
    }
    expect(storms).toBe(50);
    // The storm did take queued calls back: right after a pause, at most what the callers' slots (6) already
    // held is still queued. (Measured: 2,771 leads queued before the 50 pauses, 0 right after them.)
    expect(queuedBeforePauses).toBeGreaterThan(200);
    expect(queuedAfterPauses).toBeLessThanOrEqual(50 * 6);
    const final = await waitFor("campaign completed", async () => {
      const c = await db.campaign.findUniqueOrThrow({ where: { id } });
      return c.status === "COMPLETED" ? c : null;
    }, 150_000);

    expect(final.pendingCount).toBe(0);
    expect(await leadStatusCounts(id)).toEqual({ COMPLETED: LEADS });
    // One attempt per lead, dialed, with an outcome: the withdrawn attempts left no trace and no lead was lost.
    const { rows } = await pgPool().query(
      `SELECT count(*)::int AS n, count(DISTINCT "leadId")::int AS leads, count(*) FILTER (WHERE outcome IS NOT NULL AND "dialedAt" IS NOT NULL)::int AS finished,
         (SELECT count(*) FROM "Lead" WHERE "campaignId" = $1 AND attempts <> 1)::int AS "wrongNumber"
       FROM "CallAttempt" WHERE "campaignId" = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ n: LEADS, leads: LEADS, finished: LEADS, wrongNumber: 0 });
    // And the provider's own log: every number rang exactly once.
    const calls = (await engine.provider.callLog()).filter((c) => c.campaignId === id && c.dials > 0);
    expect(calls.every((c) => c.dials === 1)).toBe(true);
    expect(new Set(calls.map((c) => c.to)).size).toBe(LEADS);
    expect(calls).toHaveLength(LEADS);
  });
});

describe("pause removes the campaign's waiting jobs", () => {
  it("right after a pause no job of that campaign waits in the queue; another tenant's jobs stay and are dialed", async () => {
    // Slow calls and few callers keep a backlog of waiting jobs. Both campaigns start before the scheduler's
    // next tick, so neither is a newcomer whose jobs go to the front: both keep a share waiting.
    engine = await startEngine({ concurrency: 2, targetDepth: 40, tickMs: 5000, sim: slowCalls });
    queues = queueFactory(engine.prefix, engine.redis);
    const shared = queues.shared();
    const a = await createTenant();
    const b = await createTenant();
    const aId = await campaign(a.id, 200);
    const bId = await campaign(b.id, 200);
    await changeCampaignStatus(a.id, aId, "start");
    await changeCampaignStatus(b.id, bId, "start");
    await wakeScheduler({ client: engine.redis, prefix: engine.prefix });
    const waitingOf = async (campaignId: string) => (await shared.getJobs(["wait", "prioritized", "delayed"])).filter((j) => (j?.data as CallJob | undefined)?.campaignId === campaignId);
    await waitFor("both tenants waiting in the queue", async () => (await waitingOf(aId)).length >= 10 && (await waitingOf(bId)).length >= 10, 30_000);
    const bWaiting = (await waitingOf(bId)).map((j) => j.id!);

    await changeCampaignStatus(a.id, aId, "pause", { queuePrefix: engine.prefix });

    expect((await waitingOf(aId)).map((j) => j.id)).toEqual([]);
    const aLeads = await leadStatusCounts(aId);
    expect(aLeads.QUEUED ?? 0).toBeLessThanOrEqual(2); // at most what the callers held when the pause landed
    const { pendingCount } = await db.campaign.findUniqueOrThrow({ where: { id: aId } });
    expect(pendingCount).toBe(aLeads.PENDING);
    // B's jobs were not touched: each is still in the queue, or already taken by a caller.
    const states = await Promise.all(bWaiting.map((jobId) => shared.getJobState(jobId)));
    expect(states.filter((s) => s === "unknown")).toEqual([]);
    await waitFor("B's first waiting jobs dialed", async () => {
      const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE id = ANY($1) AND "dialedAt" IS NOT NULL`, [bWaiting]);
      return rows[0].n === bWaiting.length;
    }, 60_000);
  });

  it("cancel takes the waiting jobs back too, and their leads end cancelled", async () => {
    engine = await startEngine({ concurrency: 2, targetDepth: 40, tickMs: 300, sim: slowCalls });
    queues = queueFactory(engine.prefix, engine.redis);
    const shared = queues.shared();
    const t = await createTenant();
    const id = await campaign(t.id, 200);
    await engine.start(t.id, id);
    const waiting = async () => (await shared.getJobs(["wait", "prioritized", "delayed"])).filter((j) => (j?.data as CallJob | undefined)?.campaignId === id);
    await waitFor("jobs waiting", async () => (await waiting()).length >= 10, 30_000);

    await changeCampaignStatus(t.id, id, "cancel", { queuePrefix: engine.prefix });

    expect((await waiting()).map((j) => j.id)).toEqual([]);
    const leads = await leadStatusCounts(id);
    expect(leads.PENDING ?? 0).toBe(0);
    expect(leads.SCHEDULED ?? 0).toBe(0);
    expect(leads.QUEUED ?? 0).toBeLessThanOrEqual(2);
    expect(leads.CANCELLED).toBeGreaterThan(150);
  });
});

async function campaign(tenantId: string, n: number) {
  const id = await seedCampaign(tenantId, n, { maxAttempts: 1, retryDelaySec: 0 });
  campaigns.push({ tenantId, id });
  return id;
}

async function dialed(campaignId: string) {
  const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "campaignId" = $1 AND "dialedAt" IS NOT NULL`, [campaignId]);
  return rows[0].n as number;
}

function rand(n: number) {
  return Math.floor(Math.random() * n);
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
