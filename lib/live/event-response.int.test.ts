import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { campaignProgress, type CampaignProgress } from "../campaigns/progress";
import { db } from "../db";
import { getUserForSession } from "../tenants/data";
import { createTenant, uniqueId } from "../test/factories";
import { liveEventResponse, type LiveView } from "./event-response";
import { SnapshotHub } from "./hub";
import { campaignWithLeads, createUser, sseReader } from "./live-test-helpers";
import { StreamSlots } from "./stream-slots";

const created: string[] = [];
const connections: Redis[] = [];
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

afterAll(async () => {
  await db.tenant.deleteMany({ where: { id: { in: created } } });
  for (const c of connections) c.disconnect();
});

function connection() {
  const c = new Redis(process.env.REDIS_URL!);
  connections.push(c);
  return c;
}

/** One web process: its hub and its view of the shared stream cap. */
function webProcess(prefix: string, opts: { max?: number; leaseMs?: number } = {}) {
  const hub = new SnapshotHub({ redis: connection(), subscriber: connection(), prefix, intervalMs: 200 });
  const slots = new StreamSlots(connection(), prefix, opts.max ?? 10, opts.leaseMs);
  cleanups.push(() => hub.close(), () => slots.close());
  return { hub, slots, recheckMs: 100 };
}

async function viewerOfCampaign() {
  const tenant = await createTenant();
  created.push(tenant.id);
  const user = await createUser(tenant.id);
  const campaign = await campaignWithLeads(tenant.id, 3);
  // What the campaign route passes, with the session lookup reduced to its database half.
  const view: LiveView = {
    userId: user.id,
    key: `campaign:${tenant.id}:${campaign.id}`,
    load: () => campaignProgress(tenant.id, campaign.id),
    access: `member:${tenant.id}`,
    stillAllowed: async () => (await getUserForSession(user.id))?.tenantId === tenant.id,
  };
  return { tenant, user, campaign, view };
}

function open(view: LiveView, deps: ReturnType<typeof webProcess>, cookie?: string) {
  const abort = new AbortController();
  cleanups.push(() => abort.abort());
  const headers: HeadersInit = cookie ? { cookie } : {};
  return liveEventResponse(new Request("http://test/api/campaigns/x/events", { signal: abort.signal, headers }), view, deps).then((res) => ({ res, abort }));
}

describe("liveEventResponse", () => {
  it("refuses a user's 11th stream with 429 across web processes, and a closed stream frees its slot", async () => {
    const { view } = await viewerOfCampaign();
    const prefix = uniqueId("test-live");
    const a = webProcess(prefix);
    const b = webProcess(prefix);
    const streams = [];
    for (let i = 0; i < 10; i++) streams.push(await open(view, i % 2 ? a : b));
    expect(streams.map((s) => s.res.status)).toEqual(Array(10).fill(200));

    const refused = await open(view, a);
    expect(refused.res.status).toBe(429);
    expect(Number(refused.res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await refused.res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("too_many_streams");
    expect(body.error.message).toMatch(/at most 10 per user/);
    expect((await open(view, b)).res.status).toBe(429);

    // Another user is not affected by this one's streams.
    const other = await createUser(view.key.split(":")[1]!);
    expect((await open({ ...view, userId: other.id }, a)).res.status).toBe(200);

    streams[3]!.abort.abort();
    await eventuallyAsync(async () => (await open(view, b)).res.status === 200);
  });

  it("frees the slots of a process that died without closing its streams once their leases run out", async () => {
    const { view } = await viewerOfCampaign();
    const prefix = uniqueId("test-live");
    const crashed = webProcess(prefix, { max: 2, leaseMs: 600 });
    const survivor = webProcess(prefix, { max: 2, leaseMs: 600 });
    expect((await open(view, crashed)).res.status).toBe(200);
    expect((await open(view, crashed)).res.status).toBe(200);
    expect((await open(view, survivor)).res.status).toBe(429);
    crashed.slots.close(); // stops refreshing, as a killed process would
    await eventuallyAsync(async () => (await open(view, survivor)).res.status === 200, 15_000);
  });

  it("keeps a live stream's slot while it stays open longer than a lease", async () => {
    const { view } = await viewerOfCampaign();
    // The refresh runs every lease / 3, so only a stall of 2/3 of the lease loses it: 1 s rides out a loaded machine.
    const p = webProcess(uniqueId("test-live"), { max: 1, leaseMs: 1000 });
    expect((await open(view, p)).res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    expect((await open(view, p)).res.status).toBe(429);
  });

  it("streams the campaign's progress and its changes", async () => {
    const { campaign, view } = await viewerOfCampaign();
    const { res } = await open(view, webProcess(uniqueId("test-live")));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = sseReader(res.body!);
    await events.until<CampaignProgress>((p) => p.campaignId === campaign.id && p.counts.PENDING === 3);
    await db.lead.updateMany({ where: { campaignId: campaign.id, line: 2 }, data: { status: "COMPLETED" } });
    await events.until<CampaignProgress>((p) => p.counts.COMPLETED === 1 && p.counts.PENDING === 2);
    await events.cancel();
  });

  it("ends the stream with `unauthorized` once the viewer is removed from the tenant", async () => {
    const { user, view } = await viewerOfCampaign();
    const { res } = await open(view, webProcess(uniqueId("test-live")));
    const events = sseReader(res.body!);
    expect((await events.next())?.event).toBe("progress");
    await db.user.delete({ where: { id: user.id } });
    expect(await events.next()).toEqual({ event: "unauthorized", data: "{}" });
    expect(await events.next()).toBeNull(); // closed by the server
  });

  it("ends the stream with `unauthorized` once the viewer's session is revoked (session version bumped)", async () => {
    const { user, view } = await viewerOfCampaign();
    // What currentUser() does with the version carried in the session token.
    const withSession = { ...view, stillAllowed: async () => (await getUserForSession(user.id, user.sessionVersion))?.tenantId === user.tenantId };
    const { res } = await open(withSession, webProcess(uniqueId("test-live")));
    const events = sseReader(res.body!);
    expect((await events.next())?.event).toBe("progress");
    await db.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    expect((await events.next())?.event).toBe("unauthorized");
    expect(await events.next()).toBeNull();
  });

  it("ends the stream with `unauthorized` once the viewer moved to another tenant", async () => {
    const { user, view } = await viewerOfCampaign();
    const elsewhere = await createTenant();
    created.push(elsewhere.id);
    const p = webProcess(uniqueId("test-live"), { max: 1 });
    const { res } = await open(view, p);
    const events = sseReader(res.body!);
    expect((await events.next())?.event).toBe("progress");
    await db.user.update({ where: { id: user.id }, data: { tenantId: elsewhere.id } });
    expect((await events.next())?.event).toBe("unauthorized");
    expect(await events.next()).toBeNull();
    // The ended stream gave its slot back.
    await eventuallyAsync(async () => (await p.slots.count(user.id)) === 0);
  });

  it("shares the re-check between the tabs of one session, and still ends every one of them", async () => {
    const { user, view } = await viewerOfCampaign();
    let checks = 0;
    const counted = { ...view, stillAllowed: () => (checks++, view.stillAllowed()) };
    const p = webProcess(uniqueId("test-live"));
    const cookie = `next-auth.session-token=${uniqueId("session")}`;
    const tabs = await Promise.all([1, 2, 3, 4, 5].map(() => open(counted, p, cookie)));
    const readers = tabs.map((t) => sseReader(t.res.body!));
    for (const r of readers) expect((await r.next())?.event).toBe("progress");
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    // Five tabs checking every 100 ms would be ~50 checks; one session is about one per 100 ms.
    expect(checks).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / p.recheckMs) + 2);
    expect(checks).toBeGreaterThanOrEqual(3);

    await db.user.delete({ where: { id: user.id } });
    for (const r of readers) {
      let e = await r.next();
      while (e?.event === "progress") e = await r.next();
      expect(e?.event).toBe("unauthorized");
    }
  });

  it("sends `gone` and ends when the campaign is deleted; a foreign or unknown campaign is 404 and holds no slot", async () => {
    const { tenant, campaign, view } = await viewerOfCampaign();
    const p = webProcess(uniqueId("test-live"), { max: 1 });
    const { res } = await open(view, p);
    const events = sseReader(res.body!);
    expect((await events.next())?.event).toBe("progress");
    await db.campaign.delete({ where: { id: campaign.id } });
    expect((await events.next())?.event).toBe("gone");
    expect(await events.next()).toBeNull();

    const mine = await campaignWithLeads(tenant.id, 1);
    const other = await createTenant();
    created.push(other.id);
    const foreign = await campaignWithLeads(other.id, 1);
    const asForeign = { ...view, key: `campaign:${tenant.id}:${foreign.id}`, load: () => campaignProgress(tenant.id, foreign.id) };
    expect((await open(asForeign, p)).res.status).toBe(404);
    expect((await open({ ...asForeign, key: `campaign:${tenant.id}:nope`, load: () => campaignProgress(tenant.id, "nope") }, p)).res.status).toBe(404);
    // The cap is 1: had a 404 kept its slot, this would be 429.
    expect((await open({ ...view, key: `campaign:${tenant.id}:${mine.id}`, load: () => campaignProgress(tenant.id, mine.id) }, p)).res.status).toBe(200);
  });
});

async function eventuallyAsync(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
