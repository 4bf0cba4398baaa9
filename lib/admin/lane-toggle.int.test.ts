// Turning a tenant's dedicated lane on or off moves its waiting calls: they leave the old queue and return to
// pending, and the scheduler is woken to publish them to the new one.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { DispatchStore, type Claimed } from "../dispatch/store";
import { wakeChannel } from "../dispatch/wake";
import { env } from "../env";
import { pgPool } from "../pg";
import { CALLS_QUEUE, laneQueue } from "../queue/names";
import { changeCampaignStatus } from "../campaigns/mutations";
import { seedCampaign } from "../test/engine-harness";
import { createTenant, uniqueId } from "../test/factories";
import { changeTenantLane } from "./mutations";

const actor = { id: "admin-user", email: "ops@fairdial.test" };
const store = new DispatchStore(pgPool());
const redis = new Redis(env().REDIS_URL, { maxRetriesPerRequest: null });
const prefix = uniqueId("lane");
const queues: Queue[] = [];

afterAll(async () => {
  for (const q of queues) await q.obliterate({ force: true }).then(() => q.close());
  redis.disconnect();
});

describe("lane toggle", () => {
  it("withdraws the tenant's waiting jobs from the old queue, returns their leads to pending and wakes the scheduler", async () => {
    const t = await createTenant();
    const id = await seedCampaign(t.id, 20);
    await changeCampaignStatus(t.id, id, "start");
    const shared = queue(CALLS_QUEUE);
    const lane = queue(laneQueue(t.id));
    const onShared = await store.claim([{ campaignId: id, n: 8 }]);
    await publish(shared, onShared);
    const wakes = await listenForWakes();

    await changeTenantLane(actor, t.id, true, { queuePrefix: prefix });

    expect(intersect(await jobIds(shared), onShared)).toEqual([]);
    expect(await campaignState(id)).toEqual({ pendingCount: 20, pending: 20, attempts: 0 });
    await expect.poll(() => wakes.count, { timeout: 2000 }).toBeGreaterThan(0);

    // And back: the calls published to the lane meanwhile leave it.
    const onLane = await store.claim([{ campaignId: id, n: 5 }]);
    await publish(lane, onLane);
    await changeTenantLane(actor, t.id, false, { queuePrefix: prefix });
    expect(intersect(await jobIds(lane), onLane)).toEqual([]);
    expect(await campaignState(id)).toEqual({ pendingCount: 20, pending: 20, attempts: 0 });
    wakes.close();
  });

  it("leaves other tenants' waiting jobs where they are", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const id = await seedCampaign(t.id, 5);
    const otherId = await seedCampaign(other.id, 5);
    await changeCampaignStatus(t.id, id, "start");
    await changeCampaignStatus(other.id, otherId, "start");
    const shared = queue(CALLS_QUEUE);
    const theirs = await store.claim([{ campaignId: otherId, n: 5 }]);
    await publish(shared, [...(await store.claim([{ campaignId: id, n: 5 }])), ...theirs]);

    await changeTenantLane(actor, t.id, true, { queuePrefix: prefix });

    expect(intersect(await jobIds(shared), theirs)).toHaveLength(5);
    expect((await campaignState(otherId)).attempts).toBe(5);
  });
});

function queue(name: string) {
  const q = new Queue(name, { connection: redis, prefix });
  queues.push(q);
  return q;
}

async function publish(q: Queue, claimed: Claimed[]) {
  await q.addBulk(claimed.map((c) => ({ name: "call", data: c, opts: { jobId: c.attemptId } })));
}

async function jobIds(q: Queue) {
  return (await q.getJobs(["wait", "delayed", "prioritized"])).map((j) => j.id);
}

function intersect(ids: (string | undefined)[], claimed: Claimed[]) {
  return claimed.filter((c) => ids.includes(c.attemptId));
}

async function campaignState(campaignId: string) {
  const { rows } = await pgPool().query(
    `SELECT c."pendingCount",
       (SELECT count(*) FROM "Lead" l WHERE l."campaignId" = c.id AND l.status = 'PENDING')::int AS pending,
       (SELECT count(*) FROM "CallAttempt" a WHERE a."campaignId" = c.id)::int AS attempts
     FROM "Campaign" c WHERE c.id = $1`,
    [campaignId],
  );
  return rows[0];
}

async function listenForWakes() {
  const sub = new Redis(env().REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: false });
  const wakes = { count: 0, close: () => sub.disconnect() };
  await sub.subscribe(wakeChannel(prefix));
  sub.on("message", () => wakes.count++);
  return wakes;
}
