// On a real Redis Cluster (3 masters, 3 replicas: scripts/redis-cluster.ts), the master holding the engine's slot is
// killed with SIGKILL mid-campaign and its replica promoted. Postgres stays the source of truth: every lead ends
// in exactly one terminal state, with exactly one dialed attempt, and the provider never rang a number twice.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { changeCampaignStatus } from "../campaigns/mutations";
import { db } from "../db";
import { pgPool } from "../pg";
import { asCluster } from "../redis";
import { createTenant } from "../test/factories";
import { dialLog, leadStatusCounts, seedCampaign, startEngine, waitFor, type Engine } from "../test/engine-harness";
import { clusterOk, masterFor, startCluster, startNode, killNode } from "../../scripts/redis-cluster";

let engine: Engine | null = null;
const campaigns: { tenantId: string; id: string }[] = [];
const killed: number[] = [];

beforeAll(async () => {
  if (!process.env.REDIS_CLUSTER_NODES) throw new Error("the cluster tests need REDIS_CLUSTER_NODES: run them through `npm test` (scripts/test.sh)");
  await pgPool().query(`UPDATE "Campaign" SET status = 'CANCELLED' WHERE status IN ('RUNNING', 'PAUSED')`);
});
afterEach(async () => {
  await engine?.stop();
  engine = null;
  for (const c of campaigns.splice(0)) await changeCampaignStatus(c.tenantId, c.id, "cancel").catch(() => undefined);
  // The killed node comes back as a replica of its promoted one, so the next test has a whole cluster again.
  for (const port of killed.splice(0)) await startNode(port);
  await startCluster();
});
afterAll(async () => {
  await startCluster();
});

const slowCalls = { ringMs: { min: 40, max: 60 }, talkMs: { median: 60, sigma: 0.1, min: 50, max: 80 }, voicemailMs: { min: 40, max: 60 }, outcomeRates: { COMPLETED: 1, VOICEMAIL: 0, NO_ANSWER: 0, BUSY: 0, FAILED: 0 } };

it("runs on a cluster client, with every key of the engine in the one slot of its hash tag", async () => {
  engine = await startEngine({ concurrency: 4, tickMs: 200 });
  const cluster = asCluster(engine.redis);
  expect(cluster).not.toBeNull();
  const t = await createTenant();
  const id = await seedCampaign(t.id, 40, { maxAttempts: 1 });
  campaigns.push({ tenantId: t.id, id });
  await engine.start(t.id, id);
  await waitFor("all dialed", async () => (await dialLog([t.id])).length === 40, 60_000);
  const owner = await masterFor(`${engine.prefix}:x`);
  // Keys of this engine exist only on the master that owns the tag's slot.
  for (const node of cluster!.nodes("master")) {
    const keys = await node.keys(`${engine.prefix}*`);
    if (node.options.port === owner) expect(keys.length).toBeGreaterThan(0);
    else expect(keys).toEqual([]);
  }
});

it("a master killed with -9 mid-run and replaced by its replica loses no lead and rings no number twice", async () => {
  engine = await startEngine({ concurrency: 6, tickMs: 200, reconcileAfterMs: 1500, lockMs: 2000, sim: slowCalls });
  const t = await createTenant();
  const total = 300;
  const id = await seedCampaign(t.id, total, { maxAttempts: 1 });
  campaigns.push({ tenantId: t.id, id });
  await engine.start(t.id, id);
  await waitFor("dialing", async () => (await dialLog([t.id])).length >= 40, 60_000);

  const victim = await masterFor(`${engine.prefix}:x`);
  expect(killNode(victim)).toBe(true);
  killed.push(victim);
  const killedAt = Date.now();
  await waitFor("a replica promoted", async () => (await masterFor(`${engine!.prefix}:x`).catch(() => victim)) !== victim && (await clusterOk()), 60_000, 100);
  const failoverMs = Date.now() - killedAt;

  await waitFor("every lead in a terminal state", async () => {
    const counts = await leadStatusCounts(id);
    return (counts.COMPLETED ?? 0) + (counts.FAILED ?? 0) + (counts.NO_ANSWER ?? 0) + (counts.BUSY ?? 0) + (counts.VOICEMAIL ?? 0) === total;
  }, 120_000, 200);
  const leads = await db.lead.findMany({ where: { campaignId: id }, include: { callAttempts: true } });
  expect(leads).toHaveLength(total);
  for (const lead of leads) {
    expect(lead.callAttempts.filter((a) => a.dialedAt !== null)).toHaveLength(1);
    expect(lead.callAttempts.filter((a) => a.outcome !== null)).toHaveLength(1);
  }
  const log = await engine.provider.callLog();
  expect(log.filter((e) => e.dials > 1)).toEqual([]);
  console.log(`[cluster] master :${victim} killed; replica promoted after ${failoverMs} ms; ${total} leads, each dialed once`);
});
