import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { campaignProgress, type CampaignProgress } from "../campaigns/progress";
import { db } from "../db";
import { createTenant, uniqueId } from "../test/factories";
import { SnapshotHub, type LiveEvent } from "./hub";
import { campaignWithLeads } from "./live-test-helpers";

const INTERVAL_MS = 200;
const created: string[] = [];
const connections: Redis[] = [];
const hubs: SnapshotHub[] = [];

afterEach(() => {
  for (const hub of hubs.splice(0)) hub.close();
});

afterAll(async () => {
  await db.tenant.deleteMany({ where: { id: { in: created } } });
  for (const c of connections) c.disconnect();
});

/** A hub as one web process has it: its own command and subscriber connections. */
function newHub(prefix: string) {
  const redis = new Redis(process.env.REDIS_URL!);
  const subscriber = new Redis(process.env.REDIS_URL!);
  connections.push(redis, subscriber);
  const hub = new SnapshotHub({ redis, subscriber, prefix, intervalMs: INTERVAL_MS });
  hubs.push(hub);
  return hub;
}

async function campaignFixture() {
  const tenant = await createTenant();
  created.push(tenant.id);
  const campaign = await campaignWithLeads(tenant.id, 5);
  let loads = 0;
  const load = () => {
    loads++;
    return campaignProgress(tenant.id, campaign.id);
  };
  return { tenant, campaign, key: `campaign:${tenant.id}:${campaign.id}`, load, loads: () => loads };
}

/** Subscribers that remember every snapshot they were sent. */
function viewers(hub: SnapshotHub, key: string, load: () => Promise<unknown>, n: number) {
  return Array.from({ length: n }, () => {
    const seen: CampaignProgress[] = [];
    const events: LiveEvent[] = [];
    const unsubscribe = hub.subscribe(key, load, (e) => {
      events.push(e);
      if (e.kind === "snapshot") seen.push(JSON.parse(e.data) as CampaignProgress);
    });
    return { seen, events, unsubscribe, latest: () => seen.at(-1) };
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(20);
  }
}

describe("SnapshotHub", () => {
  it("runs one load per interval for 100 viewers of one campaign, and delivers each change to all of them", async () => {
    const f = await campaignFixture();
    const hub = newHub(uniqueId("test-live"));
    const started = Date.now();
    const all = viewers(hub, f.key, f.load, 100);
    await eventually(() => all.every((v) => v.latest()?.counts.PENDING === 5));

    await sleep(10 * INTERVAL_MS);
    // One load per slot that began, plus the first one: never one per viewer.
    const slots = Math.ceil((Date.now() - started) / INTERVAL_MS);
    expect(f.loads()).toBeGreaterThanOrEqual(2);
    expect(f.loads()).toBeLessThanOrEqual(slots + 1);
    // Nothing changed, so nobody was sent the same snapshot twice in a row. (A snapshot can still change by itself:
    // its per-minute chart moves on when a minute begins during the wait, so counting snapshots would be flaky.)
    const repeats = all.flatMap((v) => v.seen.slice(1).filter((s, i) => JSON.stringify(s) === JSON.stringify(v.seen[i])));
    expect(repeats).toEqual([]);
    expect(all.every((v) => v.seen.length <= 2)).toBe(true);

    await db.lead.updateMany({ where: { campaignId: f.campaign.id, line: { in: [2, 3] } }, data: { status: "COMPLETED" } });
    await eventually(() => all.every((v) => v.latest()?.counts.COMPLETED === 2));
    expect(all.every((v) => v.latest()?.counts.PENDING === 3)).toBe(true);
  });

  it("shares one load per interval between two web processes (two hubs on one Redis)", async () => {
    const f = await campaignFixture();
    const prefix = uniqueId("test-live");
    const a = newHub(prefix);
    const b = newHub(prefix);
    const started = Date.now();
    const onA = viewers(a, f.key, f.load, 20);
    const onB = viewers(b, f.key, f.load, 20);
    await eventually(() => [...onA, ...onB].every((v) => v.latest()?.counts.PENDING === 5));

    await sleep(15 * INTERVAL_MS);
    const slots = Math.ceil((Date.now() - started) / INTERVAL_MS);
    // Each hub may make one first load of its own; after that, one leader per slot between them.
    expect(f.loads()).toBeLessThanOrEqual(slots + 2);
    expect(f.loads()).toBeGreaterThanOrEqual(slots / 2);

    await db.lead.updateMany({ where: { campaignId: f.campaign.id, line: 2 }, data: { status: "NO_ANSWER" } });
    await eventually(() => [...onA, ...onB].every((v) => v.latest()?.counts.NO_ANSWER === 1));
  });

  it("a viewer arriving at another process starts from the shared snapshot without a load of its own", async () => {
    const f = await campaignFixture();
    const prefix = uniqueId("test-live");
    const a = newHub(prefix);
    viewers(a, f.key, f.load, 1);
    await eventually(() => f.loads() >= 1);
    await sleep(INTERVAL_MS);
    const before = f.loads();
    const late = newHub(prefix);
    const first = await late.snapshot(f.key, f.load);
    expect(first.kind).toBe("snapshot");
    expect(JSON.parse((first as { data: string }).data)).toMatchObject({ campaignId: f.campaign.id, total: 5 });
    // Any load meanwhile is a's slot leader; the newcomer read Redis.
    expect(f.loads() - before).toBeLessThanOrEqual(1);
  });

  it("stops polling once the last viewer leaves", async () => {
    const f = await campaignFixture();
    const hub = newHub(uniqueId("test-live"));
    const all = viewers(hub, f.key, f.load, 3);
    await eventually(() => f.loads() >= 2);
    for (const v of all) v.unsubscribe();
    await sleep(2 * INTERVAL_MS);
    const after = f.loads();
    await sleep(5 * INTERVAL_MS);
    expect(f.loads()).toBe(after);
    expect(hub.activeKeys()).toEqual([]);
  });

  it("sends `gone` to every viewer, in every process, when the campaign is deleted", async () => {
    const f = await campaignFixture();
    const prefix = uniqueId("test-live");
    const all = [...viewers(newHub(prefix), f.key, f.load, 3), ...viewers(newHub(prefix), f.key, f.load, 3)];
    await eventually(() => all.every((v) => v.seen.length >= 1));
    await db.campaign.delete({ where: { id: f.campaign.id } });
    await eventually(() => all.every((v) => v.events.at(-1)?.kind === "gone"));
  });

  it("never serves one tenant's snapshot under another tenant's key", async () => {
    const f = await campaignFixture();
    const hub = newHub(uniqueId("test-live"));
    viewers(hub, f.key, f.load, 1);
    await eventually(() => f.loads() >= 1);
    const other = await createTenant();
    created.push(other.id);
    const foreign = await hub.snapshot(`campaign:${other.id}:${f.campaign.id}`, () => campaignProgress(other.id, f.campaign.id));
    expect(foreign.kind).toBe("gone");
  });
});
