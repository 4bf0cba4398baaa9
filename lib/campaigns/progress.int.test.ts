import type { CallOutcome, LeadStatus } from "@prisma/client";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../db";
import { NotFoundError } from "../errors";
import { createTenant as createTestTenant, uniqueId } from "../test/factories";
import { EngineState } from "../dispatch/engine-state";
import { env } from "../env";
import { redis } from "../redis";
import { campaignProgress, forgetProgress, tenantProgress } from "./progress";
import { FREQUENCY_CAP_HOLD } from "../rules/holds";
import { forgetCallingRules } from "./window-state";

// These tenants have running campaigns with made-up dials: removed afterwards, so a dispatch engine sharing
// the test database (the browser tests) never picks their leads up.
const created: string[] = [];
async function createTenant(overrides: Parameters<typeof createTestTenant>[0] = {}) {
  const tenant = await createTestTenant(overrides);
  created.push(tenant.id);
  return tenant;
}

afterAll(async () => {
  await db.tenant.deleteMany({ where: { id: { in: created } } });
  await db.$disconnect();
});

const MINUTE = 60_000;
const minuteStart = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

type Campaign = Awaited<ReturnType<typeof db.campaign.create>>;

async function campaignWith(tenantId: string, statuses: Partial<Record<LeadStatus, number>>, data: { status?: "DRAFT" | "RUNNING" | "PAUSED"; startedAt?: Date; firstDialAt?: Date } = {}) {
  const campaign = await db.campaign.create({ data: { tenantId, name: uniqueId("campaign"), status: data.status ?? "RUNNING", startedAt: data.startedAt, firstDialAt: data.firstDialAt } });
  let line = 1;
  const rows = Object.entries(statuses).flatMap(([status, n]) =>
    Array.from({ length: n }, () => ({ tenantId, campaignId: campaign.id, line: ++line, phone: `+1212555${String(line).padStart(4, "0")}`, status: status as LeadStatus })),
  );
  await db.lead.createMany({ data: rows });
  await db.campaign.update({ where: { id: campaign.id }, data: { totalLeads: rows.length } });
  const leads = await db.lead.findMany({ where: { campaignId: campaign.id }, orderBy: { id: "asc" } });
  return { campaign, leads };
}

/** One attempt per dial time, each on its own lead (attempt numbers are unique per lead). */
async function dials(campaign: Campaign, leadIds: bigint[], times: Date[], talk: (i: number) => { answeredAt?: Date; endedAt?: Date; outcome?: CallOutcome } = () => ({})) {
  await db.callAttempt.createMany({
    data: times.map((dialedAt, i) => ({ tenantId: campaign.tenantId, campaignId: campaign.id, leadId: leadIds[i % leadIds.length]!, attemptNumber: Math.floor(i / leadIds.length) + 1, dialedAt, ...talk(i) })),
  });
}

describe("campaignProgress", () => {
  it("counts leads per status and buckets the last 15 minutes of dials", async () => {
    const tenant = await createTenant();
    const now = Date.now();
    const startedAt = new Date(now - 10 * MINUTE);
    const { campaign, leads } = await campaignWith(
      tenant.id,
      { PENDING: 3, SCHEDULED: 1, QUEUED: 1, DIALING: 1, COMPLETED: 4, NO_ANSWER: 2, BUSY: 1, VOICEMAIL: 1, FAILED: 1, CANCELLED: 1 },
      { startedAt, firstDialAt: new Date(startedAt.getTime() + 2500) },
    );
    const current = minuteStart(now);
    const at = (minutesAgo: number) => new Date(current - minutesAgo * MINUTE + 1000);
    // 2 this minute, 3 a minute ago, 1 three minutes ago, and 5 long before the chart's window.
    const retryAt = new Date(now + 30 * MINUTE);
    await db.lead.updateMany({ where: { campaignId: campaign.id, status: "SCHEDULED" }, data: { nextAttemptAt: retryAt } });
    await dials(campaign, leads.map((l) => l.id), [at(0), at(0), at(1), at(1), at(1), at(3), at(20), at(20), at(20), at(20), at(20)]);

    const p = await campaignProgress(tenant.id, campaign.id);
    expect(p.status).toBe("RUNNING");
    expect(p.counts).toEqual({ PENDING: 3, SCHEDULED: 1, QUEUED: 1, DIALING: 1, COMPLETED: 4, NO_ANSWER: 2, BUSY: 1, VOICEMAIL: 1, FAILED: 1, CANCELLED: 1, SUPPRESSED: 0 });
    expect(p.total).toBe(16);
    expect(p.terminal).toBe(10);
    expect(p.timeToFirstCallMs).toBe(2500);
    expect(p.callsPerMinute).toHaveLength(15);
    const calls = (minutesAgo: number) => p.callsPerMinute.find((b) => b.minute === new Date(current - minutesAgo * MINUTE).toISOString())?.calls;
    expect([calls(0), calls(1), calls(2), calls(3)]).toEqual([2, 3, 0, 1]);
    expect(p.callsPerMinute.reduce((s, b) => s + b.calls, 0)).toBe(6);
    // 6 dials in the last ~4.x minutes and 5 leads dialable now (the retry waits for its time): ~3.5 minutes.
    expect(p.etaSeconds).toBeGreaterThanOrEqual(200);
    expect(p.etaSeconds).toBeLessThanOrEqual(260);
    expect(p.nextRetryAt).toBe(retryAt.toISOString());
  });

  it("is a NotFoundError for another tenant's campaign, and never served from that tenant's cache", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const { campaign } = await campaignWith(a.id, { PENDING: 2 });
    await campaignProgress(a.id, campaign.id);
    await expect(campaignProgress(b.id, campaign.id)).rejects.toThrow(NotFoundError);
    await expect(campaignProgress(a.id, "no-such-campaign")).rejects.toThrow(NotFoundError);
  });

  it("shares one load between viewers, and shows a change once forgotten", async () => {
    const tenant = await createTenant();
    const { campaign, leads } = await campaignWith(tenant.id, { PENDING: 2 }, { status: "DRAFT" });
    const first = campaignProgress(tenant.id, campaign.id);
    expect(campaignProgress(tenant.id, campaign.id)).toBe(first);
    expect((await first).etaSeconds).toBeNull();
    expect((await first).timeToFirstCallMs).toBeNull();

    await db.lead.update({ where: { id: leads[0]!.id }, data: { status: "COMPLETED" } });
    await db.campaign.update({ where: { id: campaign.id }, data: { status: "PAUSED" } });
    forgetProgress(tenant.id, campaign.id);
    const after = await campaignProgress(tenant.id, campaign.id);
    expect(after.status).toBe("PAUSED");
    expect(after.counts.COMPLETED).toBe(1);
    expect(after.terminal).toBe(1);
    expect(after.etaSeconds).toBeNull(); // no estimate while paused
  });
});

describe("tenantProgress", () => {
  it("reports lines in use against the cap, today's calls and talk time, and each campaign's progress", async () => {
    const tenant = await createTenant({ maxConcurrent: 5 });
    const { campaign, leads } = await campaignWith(tenant.id, { PENDING: 1, QUEUED: 1, DIALING: 1, COMPLETED: 2 });
    await campaignWith(tenant.id, { PENDING: 4 }, { status: "DRAFT" });
    const now = Date.now();
    const times = [new Date(now - 1000), new Date(now - 2000), new Date(now - 3000), new Date(now - 26 * 3600_000)];
    // The first two were answered: 30 s and 90 s of talk.
    await dials(campaign, leads.map((l) => l.id), times, (i) =>
      i < 2 ? { answeredAt: new Date(times[i]!.getTime() + 5000), endedAt: new Date(times[i]!.getTime() + 5000 + (i === 0 ? 30_000 : 90_000)), outcome: "COMPLETED" } : { outcome: "NO_ANSWER" },
    );
    const midnight = new Date(new Date().toISOString().slice(0, 10)).getTime();
    const today = times.filter((t) => t.getTime() >= midnight);

    const d = await tenantProgress(tenant.id);
    expect(d.linesInUse).toBe(2);
    expect(d.maxConcurrent).toBe(5);
    expect(d.callsToday).toBe(today.length);
    expect(d.talkSecondsToday).toBe([30, 90].filter((_, i) => times[i]!.getTime() >= midnight).reduce((s, n) => s + n, 0));
    expect(d.idle).toBeNull();
    expect(d.campaigns.map((c) => [c.status, c.total, c.terminal])).toEqual([
      ["DRAFT", 4, 0],
      ["RUNNING", 5, 2],
    ]);
  });

  it("explains why nothing is dialing", async () => {
    // Platform hours the leads of one case are outside of: a country whose hours are 30 minutes, two hours from now.
    const opens = `${String((new Date().getUTCHours() + 2) % 24).padStart(2, "0")}:00`;
    const closes = `${opens.slice(0, 2)}:30`;
    await db.callingRule.create({ data: { country: "ZW", intervals: [{ days: [1, 2, 3, 4, 5, 6, 7], start: opens, end: closes }] } });
    forgetCallingRules();
    // No caller is online yet: pending leads wait for one.
    const noCallers = await createTenant({ maxConcurrent: null });
    await campaignWith(noCallers.id, { PENDING: 2 });
    expect((await tenantProgress(noCallers.id)).idle).toEqual({ kind: "no_callers" });
    const callers = new EngineState(redis(), env().QUEUE_PREFIX);
    const caller = { id: uniqueId("caller"), concurrency: 4, lane: null, host: "test", pid: 1, startedAt: Date.now(), heartbeatAt: Date.now() };
    await callers.heartbeatCaller(caller);
    try {
      await whyNotDialing(opens);
    } finally {
      await callers.removeCaller(caller.id);
      await db.callingRule.delete({ where: { country: "ZW" } });
    }
  });

  async function whyNotDialing(opens: string) {
    const paused = await createTenant();
    await db.tenant.update({ where: { id: paused.id }, data: { paused: true } });
    await campaignWith(paused.id, { PENDING: 1 });
    expect((await tenantProgress(paused.id)).idle).toEqual({ kind: "paused" });

    const draftOnly = await createTenant();
    await campaignWith(draftOnly.id, { PENDING: 1 }, { status: "DRAFT" });
    expect((await tenantProgress(draftOnly.id)).idle).toEqual({ kind: "no_running_campaigns" });

    const retries = await createTenant();
    const { leads } = await campaignWith(retries.id, { SCHEDULED: 2, COMPLETED: 1 });
    const soon = new Date(Date.now() + 10 * MINUTE);
    await db.lead.update({ where: { id: leads[0]!.id }, data: { nextAttemptAt: new Date(soon.getTime() + MINUTE) } });
    await db.lead.update({ where: { id: leads[1]!.id }, data: { nextAttemptAt: soon } });
    expect((await tenantProgress(retries.id)).idle).toEqual({ kind: "retries_scheduled", nextAt: soon.toISOString() });

    // Every remaining lead at the tenant's frequency cap: said so, with the cap and when the first is due, not as retries.
    const capped = await createTenant({ maxConcurrent: null });
    await db.tenant.update({ where: { id: capped.id }, data: { callsPer24h: 3 } });
    const { campaign: cappedCampaign } = await campaignWith(capped.id, { SCHEDULED: 2, COMPLETED: 1 });
    const release = new Date(Date.now() + 20 * MINUTE);
    await db.lead.updateMany({
      where: { campaignId: cappedCampaign.id, status: "SCHEDULED" },
      data: { holdReason: `${FREQUENCY_CAP_HOLD} the most calls to this number in 24 hours`, nextAttemptAt: release },
    });
    const cappedHeld = { cap24h: 2, cap30d: 0, numberInUse: 0, nextCapReleaseAt: release.toISOString(), caps: { per24h: 3, per30d: null } };
    expect((await tenantProgress(capped.id)).idle).toEqual({ kind: "frequency_capped", held: cappedHeld, retries: 0, nextAt: release.toISOString() });
    expect((await campaignProgress(capped.id, cappedCampaign.id)).held).toEqual(cappedHeld);

    const waiting = await createTenant({ maxConcurrent: null });
    await campaignWith(waiting.id, { PENDING: 3 });
    expect((await tenantProgress(waiting.id)).idle).toEqual({ kind: "waiting_for_dispatch" });

    const full = await createTenant({ maxConcurrent: 2 });
    await campaignWith(full.id, { PENDING: 3, DIALING: 2 });
    const atCap = await tenantProgress(full.id);
    expect(atCap.idle).toEqual({ kind: "at_cap", limit: 2 });
    expect(atCap.linesInUse).toBe(2);

    const suppressed = await createTenant({ maxConcurrent: null });
    await campaignWith(suppressed.id, { SUPPRESSED: 2, COMPLETED: 1 });
    expect((await tenantProgress(suppressed.id)).idle).toEqual({ kind: "all_suppressed", suppressed: 2 });

    // Every pending lead outside its window: the sentence says when and where the first opens.
    const night = await createTenant({ maxConcurrent: null });
    const { campaign } = await campaignWith(night.id, { PENDING: 2 });
    await db.lead.updateMany({ where: { campaignId: campaign.id }, data: { windowKey: "ZW|UTC" } });
    expect((await tenantProgress(night.id)).idle).toMatchObject({ kind: "outside_window", waiting: 2, zone: "UTC", localTime: opens });
  }

  it("is a NotFoundError for an unknown tenant", async () => {
    await expect(tenantProgress("no-such-tenant")).rejects.toThrow(NotFoundError);
  });
});
